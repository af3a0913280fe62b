package id.mppdigital.catalog.web;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Apps revalidate what they cached: ETag and If-None-Match, Cache-Control by how stable the answer is. */
class ConditionalGetTests extends CatalogWebTests {

	@Test
	void anUnchangedAnswerIs304WithoutABody() {
		String etag = this.client.get().uri("/standards/akta-kelahiran").exchange().expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=60, stale-if-error=600")
			// JSON and JSON-LD, Indonesian and English share URLs: shared caches must keep them apart
			.expectHeader().valueEquals(HttpHeaders.VARY, "Accept, Accept-Language")
			.returnResult(String.class).getResponseHeaders().getETag();
		assertThat(etag).startsWith("\"").endsWith("\"");
		this.client.get().uri("/standards/akta-kelahiran").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
			.expectStatus().isNotModified()
			.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
			.expectBody().isEmpty();
		// another answer, another tag
		this.client.get().uri("/standards/akta-kematian").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
			.expectStatus().isOk();
	}

	@Test
	void publishedVersionsAreCacheableForADayAndAnswersToTokensArePrivate() {
		this.client.get().uri("/standards/akta-kelahiran/versions/1").exchange().expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=86400, stale-if-error=600");
		this.client.get().uri("/standards/akta-kelahiran/versions/1")
			.headers(headers -> headers.setBearerAuth(issuer.platformAdmin("s-platform"))).exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "private, no-cache");
		// errors are not tagged
		this.client.get().uri("/standards/nope").exchange().expectStatus().isNotFound()
			.expectHeader().doesNotExist(HttpHeaders.ETAG);
	}

}
