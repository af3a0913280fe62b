package id.mppdigital.catalog.standard;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Other portals reuse a service standard as CPSV-AP JSON-LD, with ids under the public URL the
 * gateway gives the catalog.
 */
class LinkedDataExportTests extends CatalogWebTests {

	@Test
	void aStandardIsAPublicServiceInCpsvAp() {
		this.client.get().uri("/standards/akta-kelahiran/versions/1")
			.accept(MediaType.valueOf("application/ld+json"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "api.mppdigital.example")
			.header("X-Forwarded-Prefix", "/api/catalog")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("application/ld+json")
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody()
			.jsonPath("$['@context'].cpsv").isEqualTo("http://purl.org/vocab/cpsv#")
			.jsonPath("$['@type']").isEqualTo("cpsv:PublicService")
			.jsonPath("$['@id']").isEqualTo("https://api.mppdigital.example/api/catalog/standards/akta-kelahiran/versions/1")
			.jsonPath("$['dct:title'][?(@['@language'] == 'en')]['@value']").isEqualTo("Birth certificate")
			.jsonPath("$['cv:hasCompetentAuthority']['@id']").isEqualTo("https://api.mppdigital.example/api/catalog/agencies/dukcapil")
			.jsonPath("$['cv:hasCompetentAuthority']['skos:prefLabel'][0]['@value']").isEqualTo("Dinas Kependudukan dan Pencatatan Sipil")
			.jsonPath("$['cpsv:hasInput'].length()").isEqualTo(3)
			.jsonPath("$['cv:hasCost'][0]['cv:value']['@value']").isEqualTo("0")
			.jsonPath("$['cv:hasCost'][0]['cv:currency']['@id']").isEqualTo("http://publications.europa.eu/resource/authority/currency/IDR")
			.jsonPath("$['cv:processingTime']['@value']").isEqualTo("P3D")
			.jsonPath("$['cpsv:follows'].length()").isEqualTo(5);
		// plain JSON is still what an app gets by default
		this.client.get().uri("/standards/akta-kelahiran").exchange().expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON);
		this.client.get().uri("/standards/nope").accept(MediaType.valueOf("application/ld+json")).exchange()
			.expectStatus().isNotFound();
	}

}
