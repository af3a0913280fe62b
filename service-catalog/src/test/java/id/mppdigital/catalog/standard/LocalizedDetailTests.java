package id.mppdigital.catalog.standard;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's detail in the language the app asks for; without one (or with {@code *}) the canonical
 * document with both languages, as an editor or another portal needs it.
 */
class LocalizedDetailTests extends CatalogWebTests {

	@Test
	void theDetailSpeaksTheAskedLanguage() {
		this.client.get().uri("/standards/akta-kelahiran").header(HttpHeaders.ACCEPT_LANGUAGE, "en-GB,en;q=0.9,id;q=0.5")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "en")
			.expectBody()
			.jsonPath("$.language").isEqualTo("en")
			.jsonPath("$.standard.name").isEqualTo("Birth certificate")
			.jsonPath("$.standard.requirements[0].name").value(name -> assertThat(name).isInstanceOf(String.class))
			.jsonPath("$.standard.procedure[0]").value(step -> assertThat(step).isInstanceOf(String.class));
		this.client.get().uri("/standards/akta-kelahiran/versions/1").header(HttpHeaders.ACCEPT_LANGUAGE, "id-ID")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "id")
			.expectBody()
			.jsonPath("$.standard.name").isEqualTo("Penerbitan Akta Kelahiran");
	}

	@Test
	void withoutALanguageBothAreGiven() {
		for (String asked : new String[] { null, "*" }) {
			this.client.get().uri("/standards/akta-kelahiran")
				.headers(headers -> {
					if (asked != null) {
						headers.set(HttpHeaders.ACCEPT_LANGUAGE, asked);
					}
				})
				.exchange()
				.expectStatus().isOk()
				.expectHeader().doesNotExist(HttpHeaders.CONTENT_LANGUAGE)
				.expectBody()
				.jsonPath("$.standard.name.id").isEqualTo("Penerbitan Akta Kelahiran")
				.jsonPath("$.standard.name.en").isEqualTo("Birth certificate");
		}
	}

}
