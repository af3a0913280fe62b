package id.mppdigital.catalog.agency;

import java.util.List;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Agencies: public list, platform administrators add and edit, every change audited. */
class AgencyTests extends CatalogWebTests {

	@Autowired
	AgencyRepository agencies;

	static final String KOMINFO = """
			{"name": "Dinas Komunikasi dan Informatika", "kind": "REGIONAL_OFFICE", "integration": "OFFICERS_ONLY",
			 "contact": {"email": "diskominfo@probolinggokota.go.id", "phone": "+62 335 421228", "website": "https://probolinggokota.go.id"}}""";

	WebTestClient.ResponseSpec put(String id, String token, String body) {
		return this.client.put().uri("/agencies/" + id).headers(headers -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@Test
	void theDemoAgenciesArePublicAndSortedByName() {
		this.client.get().uri("/agencies").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.length()").value(count -> assertThat((Integer) count).isGreaterThanOrEqualTo(10))
			.jsonPath("$[0].name").isEqualTo("Badan Pendapatan Daerah");
		this.client.get().uri("/agencies/dukcapil").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.kind").isEqualTo("REGIONAL_OFFICE");
		this.client.get().uri("/agencies/nope").exchange().expectStatus().isNotFound()
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/not-found");
	}

	@Test
	void aPlatformAdministratorAddsAndEditsAnAgencyAndEachChangeIsAudited() {
		String admin = issuer.platformAdmin("s-platform");
		put("diskominfo", admin, KOMINFO).expectStatus().isCreated()
			.expectHeader().valueEquals(HttpHeaders.LOCATION, "/agencies/diskominfo");
		put("diskominfo", admin, KOMINFO.replace("OFFICERS_ONLY", "ADAPTER")).expectStatus().isOk()
			.expectBody().jsonPath("$.integration").isEqualTo("ADAPTER");
		this.client.get().uri("/audit?target=agencies/diskominfo").headers(h -> h.setBearerAuth(admin)).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$[*].action").isEqualTo(List.of("agency.update", "agency.create"))
			.jsonPath("$[0].before.integration").isEqualTo("OFFICERS_ONLY")
			.jsonPath("$[0].after.integration").isEqualTo("ADAPTER");
		this.agencies.deleteById("diskominfo").block();
	}

	@Test
	void othersMayNotAndInvalidAgenciesAreNotStored() {
		put("diskominfo", issuer.mppAdmin("s-mpp", "kota-probolinggo"), KOMINFO).expectStatus().isForbidden();
		put("diskominfo", issuer.agencySystem("agency-dukcapil", "dukcapil"), KOMINFO).expectStatus().isForbidden();
		String admin = issuer.platformAdmin("s-platform");
		put("diskominfo", admin, KOMINFO.replace("REGIONAL_OFFICE", "MINISTRY").replace("https://", "ftp://"))
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		put("diskominfo", admin, KOMINFO.replace("https://", "ftp://").replace("diskominfo@", "not an email"))
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[*].field").isEqualTo(List.of("contact.email", "contact.website"));
		put("Dis Kominfo", admin, KOMINFO).expectStatus().isBadRequest();
		assertThat(this.agencies.existsById("diskominfo").block()).isFalse();
	}

}
