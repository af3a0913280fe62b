package id.mppdigital.catalog.mpp;

import id.mppdigital.catalog.CatalogWebTests;
import id.mppdigital.catalog.demo.DemoCatalog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog as citizens' apps see it, on the embedded MongoDB-wire store with the demo data. */
class MppControllerTests extends CatalogWebTests {

	@Autowired
	DemoCatalog demo;

	@Autowired
	MppRepository mpps;

	@Test
	void listsEveryMppByName() {
		this.client.get().uri("/mpps").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(16)
			.jsonPath("$[0].name").isEqualTo("MPP Kabupaten Badung")
			.jsonPath("$[15].name").isEqualTo("MPP Kota Yogyakarta");
	}

	@Test
	void filtersByProvince() {
		this.client.get().uri("/mpps?province=Jawa Timur").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$[*].id").isEqualTo(java.util.List.of("kabupaten-banyuwangi", "kota-malang", "kota-probolinggo", "kota-surabaya"));
	}

	@Test
	void showsOneMppWithItsTimeZone() {
		this.client.get().uri("/mpps/kota-jayapura").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.regionCode").isEqualTo("94.71")
			.jsonPath("$.timeZone").isEqualTo("Asia/Jayapura");
	}

	@Test
	void anUnknownMppIsA404Problem() {
		this.client.get().uri("/mpps/kota-atlantis").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.detail").isEqualTo("No MPP with id kota-atlantis");
	}

	@Test
	void demoDataIsLoadedOnceHoweverOftenTheServiceRestarts() throws Exception {
		this.demo.run(new DefaultApplicationArguments());
		this.demo.run(new DefaultApplicationArguments());
		assertThat(this.mpps.count().block()).isEqualTo(16);
	}

	@Test
	void itsApiDocumentIsPublicAndSaysHowToSendAToken() {
		this.client.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.components.securitySchemes.bearer.scheme").isEqualTo("bearer")
			.jsonPath("$.components.securitySchemes.bearer.bearerFormat").isEqualTo("JWT")
			// per operation, as the catalog's public paths say: its reads are public, its changes need a token
			.jsonPath("$.security").doesNotExist()
			.jsonPath("$.paths['/standards/{id}/draft'].put.security[0].bearer").isArray()
			.jsonPath("$.paths['/mpps/{id}'].get.security").isEmpty()
			.jsonPath("$.paths['/mpps/{id}'].put.security[0].bearer").isArray()
			.jsonPath("$.paths['/audit'].get.security[0].bearer").isArray();
	}

	@Test
	void reportsHealthWithItsDatabaseAndExposesNoOtherActuatorEndpoint() {
		this.client.get().uri("/actuator/health").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.status").isEqualTo("UP");
		this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value(body -> assertThat(body).contains("application=\"service-catalog\""));
		// not public, and not there even for a platform administrator
		this.client.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
		String admin = issuer.platformAdmin("s-admin");
		this.client.get().uri("/actuator/env").headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/beans").headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isNotFound();
	}

}
