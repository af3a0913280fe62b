package id.mppdigital.application.applications;

import java.util.Map;

import id.mppdigital.application.ApplicationWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may see and move an application, called directly on the service (the gateway checks tokens
 * too, but a request that bypasses it must meet the same rules): the applicant; officers of its
 * agency at its MPP; its agency's system. Another citizen's application does not exist for a
 * citizen (404); other agencies and MPPs are refused (403).
 */
class ApplicationAccessTests extends ApplicationWebTests {

	private String submit(String citizenToken, String standardId, String form) {
		return this.client.post().uri("/").headers(h -> h.setBearerAuth(citizenToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + standardId + "\",\"form\":" + form + "}")
			.exchange()
			.expectStatus().isCreated()
			.returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
	}

	private WebTestClient.ResponseSpec read(String token, String id) {
		return this.client.get().uri("/" + id).headers(h -> h.setBearerAuth(token)).exchange();
	}

	private WebTestClient.ResponseSpec move(String token, String id, String state) {
		return this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"" + state + "\"}").exchange();
	}

	private String list(String token) {
		return this.client.get().uri("/").headers(h -> h.setBearerAuth(token)).exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	@Test
	void aCitizenSeesTheirOwnApplicationAndAnotherCitizenCannotTellItExists() {
		String siti = issuer.citizen("c-siti");
		String budi = issuer.citizen("c-budi");
		String id = submit(siti, KTP, ktpForm("3574010101900001"));

		read(siti, id).expectStatus().isOk()
			.expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.form.nik").isEqualTo("3574010101900001");
		assertThat(list(siti)).contains(id);

		// the same answer as for a number that was never given out
		read(budi, id).expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/not-found");
		read(budi, "PMH-000000-NOTHERE0").expectStatus().isNotFound();
		assertThat(list(budi)).doesNotContain(id);
		// another citizen cannot touch it (and still cannot tell it exists)
		move(budi, id, "REJECTED").expectStatus().isNotFound();
		move(budi, id, "WITHDRAWN").expectStatus().isNotFound();
		// the applicant decides nothing but may withdraw; staff may not withdraw for them
		move(siti, id, "COMPLETED").expectStatus().isForbidden();
		move(issuer.officer("s-dewi", "kota-probolinggo", "dukcapil"), id, "WITHDRAWN").expectStatus().isForbidden();
		read(siti, id).expectBody().jsonPath("$.state").isEqualTo("SUBMITTED");
		move(siti, id, "WITHDRAWN").expectStatus().isOk()
			.expectBody()
			.jsonPath("$.state").isEqualTo("WITHDRAWN")
			.jsonPath("$.history[1].role").isEqualTo("citizen");
		move(issuer.officer("s-dewi", "kota-probolinggo", "dukcapil"), id, "IN_PROCESS")
			.expectStatus().isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void officersActOnlyForTheirAgencyAtTheirMpp() {
		String id = submit(issuer.citizen("c-officers"), KTP, ktpForm("3574010101900002"));
		String dukcapilHere = issuer.officer("s-dewi", "kota-probolinggo", "dukcapil");
		String polriHere = issuer.officer("s-agus", "kota-probolinggo", "polri");
		String dukcapilElsewhere = issuer.officer("s-rudi", "kota-surabaya", "dukcapil");

		for (String other : new String[] { polriHere, dukcapilElsewhere }) {
			read(other, id).expectStatus().isForbidden()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/forbidden");
			move(other, id, "IN_PROCESS").expectStatus().isForbidden();
			assertThat(list(other)).doesNotContain(id);
		}
		read(dukcapilHere, id).expectStatus().isOk();
		assertThat(list(dukcapilHere)).contains(id);
		move(dukcapilHere, id, "IN_PROCESS").expectStatus().isOk()
			.expectBody().jsonPath("$.state").isEqualTo("IN_PROCESS")
			.jsonPath("$.history[1].by").isEqualTo("s-dewi")
			.jsonPath("$.history[1].role").isEqualTo("officer");
	}

	@Test
	void anAgencySystemReadsAndReportsOnlyForItsOwnAgency() {
		String id = submit(issuer.citizen("c-machine"), SIM, "{\"nomorSim\":\"1234-5678-000001\"}");
		String polri = issuer.agencySystem("agency-polri", "polri");
		String dukcapil = issuer.agencySystem("agency-dukcapil", "dukcapil");

		read(dukcapil, id).expectStatus().isForbidden();
		move(dukcapil, id, "REJECTED").expectStatus().isForbidden();
		assertThat(list(dukcapil)).doesNotContain(id);

		read(polri, id).expectStatus().isOk().expectBody().jsonPath("$.agencyId").isEqualTo("polri");
		assertThat(list(polri)).contains(id);
		move(polri, id, "IN_PROCESS").expectStatus().isOk();
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(polri))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"state\":\"COMPLETED\",\"agencyReference\":\"POLRI-SIM-2026-000123\",\"note\":\"Selesai\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.state").isEqualTo("COMPLETED")
			.jsonPath("$.agencyReference").isEqualTo("POLRI-SIM-2026-000123")
			.jsonPath("$.history[2].role").isEqualTo("agency_system");
	}

	@Test
	void administratorsAndOperatorsDoNotReadCitizensApplications() {
		String id = submit(issuer.citizen("c-admins"), KTP, ktpForm("3574010101900003"));
		for (String token : new String[] { issuer.mppAdmin("s-rina", "kota-probolinggo"),
				issuer.platformAdmin("s-platform"), issuer.token("s-ops", Map.of("roles", java.util.List.of("operator"))) }) {
			read(token, id).expectStatus().isForbidden();
			this.client.get().uri("/").headers(h -> h.setBearerAuth(token)).exchange()
				.expectStatus().isForbidden();
		}
		// and staff cannot submit as if they were a citizen
		this.client.post().uri("/")
			.headers(h -> h.setBearerAuth(issuer.officer("s-dewi", "kota-probolinggo", "dukcapil")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + KTP + "\",\"form\":"
					+ ktpForm("3574010101900004") + "}")
			.exchange()
			.expectStatus().isForbidden();
	}

	@Test
	void fieldsTheCallerMayNotSetAreIgnored() {
		String siti = issuer.citizen("c-mass");
		String id = this.client.post().uri("/").headers(h -> h.setBearerAuth(siti))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + KTP + "\",\"form\":"
					+ ktpForm("3574010101900005") + ",\"applicant\":\"c-someone-else\",\"state\":\"COMPLETED\","
					+ "\"agencyId\":\"polri\",\"standardVersion\":9,\"id\":\"PMH-CHOSEN\",\"history\":[]}")
			.exchange()
			.expectStatus().isCreated()
			.expectBody()
			.jsonPath("$.state").isEqualTo("SUBMITTED")
			.jsonPath("$.agencyId").isEqualTo("dukcapil")
			.jsonPath("$.standardVersion").isEqualTo(1)
			.jsonPath("$.id").value(value -> assertThat(value.toString()).matches("PMH-\\d{6}-[2-9A-HJ-NP-Z]{8}"))
			.returnResult().getResponseBody().toString();
		assertThat(list(siti)).contains("\"state\":\"SUBMITTED\"");
		assertThat(list(issuer.citizen("c-someone-else"))).doesNotContain("kota-probolinggo");
	}

	@Test
	void requestsWithoutAValidTokenAre401() {
		this.client.get().uri("/").exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mpp-digital\"");
		for (Map.Entry<String, String> rejected : issuer.rejectedTokens().entrySet()) {
			this.client.get().uri("/")
				.headers(h -> h.setBearerAuth(rejected.getValue()))
				.exchange()
				.expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"));
		}
	}

}
