package id.mppdigital.defaults;

/**
 * The bounds of every paged list ({@code page}, {@code size} query parameters): a page past
 * {@link #MAX_PAGE} is refused with a 400 problem rather than overflowing into a 500 or wrapping
 * round to the first page.
 */
public final class Paging {

	/** The highest page number any list accepts (pages count from 0). */
	public static final int MAX_PAGE = 10_000;

	/** The most items one page holds. */
	public static final int MAX_SIZE = 100;

	private Paging() {
	}

}
