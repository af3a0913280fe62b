package id.mppdigital.catalog.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The language a client asks for with {@code Accept-Language}: the catalog speaks Bahasa Indonesia
 * ({@code id}, the default) and English ({@code en}).
 */
public final class Languages {

	private Languages() {
	}

	/** The language to answer a list in: English when it is the first choice, else Indonesian. */
	public static String of(ServerHttpRequest request) {
		return explicit(request).orElse("id");
	}

	/**
	 * The language a client named, if any: empty without {@code Accept-Language} or when its first
	 * choice is {@code *} (any language — a document then carries both).
	 */
	public static Optional<String> explicit(ServerHttpRequest request) {
		List<Locale.LanguageRange> asked = request.getHeaders().getAcceptLanguage();
		if (asked.isEmpty() || "*".equals(asked.get(0).getRange())) {
			return Optional.empty();
		}
		return Optional.of("en".equals(Locale.forLanguageTag(asked.get(0).getRange()).getLanguage()) ? "en" : "id");
	}

}
