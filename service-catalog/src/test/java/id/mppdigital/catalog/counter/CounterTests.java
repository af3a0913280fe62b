package id.mppdigital.catalog.counter;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Counters: which agency serves which of its services where; set up by the MPP's administrator. */
class CounterTests extends CatalogWebTests {

	WebTestClient.ResponseSpec put(String mpp, int number, String token, String body) {
		return this.client.put().uri("/mpps/" + mpp + "/counters/" + number).headers(h -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@Test
	void theDemoMppsHaveACounterPerAgencyInNumberOrder() {
		this.client.get().uri("/mpps/kota-probolinggo/counters").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(12)
			.jsonPath("$[0].number").isEqualTo(1)
			.jsonPath("$[0].agencyId").isEqualTo("dukcapil")
			.jsonPath("$[0].standardIds.length()").isEqualTo(12);
		this.client.get().uri("/mpps/kota-atlantis/counters").exchange().expectStatus().isNotFound();
	}

	@Test
	void oneServiceAtAnMppShowsWhereAndWhenItIsServed() {
		this.client.get().uri("/mpps/kota-probolinggo/services/akta-kelahiran")
			.header("Accept-Language", "en")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("Content-Language", "en")
			.expectBody()
			.jsonPath("$.standardId").isEqualTo("akta-kelahiran")
			.jsonPath("$.name").isEqualTo("Birth certificate")
			.jsonPath("$.counter").isEqualTo(1)
			.jsonPath("$.agencyId").isEqualTo("dukcapil");
		for (String missing : new String[] { "/mpps/kota-probolinggo/services/no-such-service",
				"/mpps/kota-atlantis/services/akta-kelahiran" }) {
			this.client.get().uri(missing).exchange()
				.expectStatus().isNotFound()
				.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/not-found");
		}
	}

	@Test
	void anMppAdministratorSetsUpCountersWithTheAgencysOwnServicesOnly() {
		String admin = issuer.mppAdmin("s-mlg", "kota-malang");
		put("kota-malang", 40, admin, "{\"name\": \"Loket Paspor\", \"agencyId\": \"imigrasi\", \"standardIds\": [\"paspor-baru\"]}")
			.expectStatus().isCreated();
		put("kota-malang", 40, admin, "{\"name\": \"Loket Paspor\", \"agencyId\": \"imigrasi\", \"standardIds\": [\"paspor-baru\", \"skck\"]}")
			.expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("standardIds[1]");
		put("kota-malang", 41, admin, "{\"name\": \"Loket X\", \"agencyId\": \"no-agency\", \"standardIds\": []}")
			.expectStatus().isEqualTo(422);
		put("kota-malang", 0, admin, "{\"name\": \"Loket X\", \"agencyId\": \"imigrasi\", \"standardIds\": []}")
			.expectStatus().isBadRequest();
		put("kota-surabaya", 40, admin, "{\"name\": \"Loket Paspor\", \"agencyId\": \"imigrasi\", \"standardIds\": []}")
			.expectStatus().isForbidden();
		this.client.get().uri("/mpps/kota-malang/counters").exchange().expectStatus().isOk()
			.expectBody(Counter[].class).value(counters -> assertThat(counters)
				.filteredOn(counter -> counter.number() >= 40)
				.singleElement()
				.satisfies(counter -> assertThat(counter.standardIds()).containsExactly("paspor-baru")));
		this.client.delete().uri("/mpps/kota-malang/counters/40").headers(h -> h.setBearerAuth(admin)).exchange()
			.expectStatus().isNoContent();
	}

}
