package id.mppdigital.defaults;

/**
 * The ids people read and type (MPPs, agencies, service standards): lowercase words joined by
 * hyphens, such as {@code kota-probolinggo} or {@code akta-kelahiran-umum}. One rule everywhere, so
 * an id accepted by the catalog is accepted by every service that refers to it.
 */
public final class Slug {

	/** 1 to 10 words of lowercase letters and digits, at most 80 characters in all (checked apart). */
	public static final String PATTERN = "[a-z0-9]+(-[a-z0-9]+){0,9}";

	public static final int MAX_LENGTH = 80;

	public static final String MESSAGE = "must be a lowercase slug such as kota-probolinggo";

	private Slug() {
	}

}
