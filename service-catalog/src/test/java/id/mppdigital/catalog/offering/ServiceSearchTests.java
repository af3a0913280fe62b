package id.mppdigital.catalog.offering;

import java.util.ArrayList;
import java.util.List;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Citizens find services of their MPP: lists by name, search in both languages (stems, prefixes,
 * any case or accent), filters, stable pages; MPP administrators say what their MPP offers.
 * On the 60 demonstration standards of the local profile.
 */
class ServiceSearchTests extends CatalogWebTests {

	Offerings.ServicePage page(String query, String language) {
		return this.client.get()
			.uri("/mpps/kota-probolinggo/services" + query)
			.header(HttpHeaders.ACCEPT_LANGUAGE, language)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Offerings.ServicePage.class)
			.returnResult()
			.getResponseBody();
	}

	List<String> ids(String query) {
		return page(query, "id").items().stream().map(Offerings.ServiceSummary::standardId).toList();
	}

	@Test
	void anMppListsItsServicesByNameInPagesThatNeitherOverlapNorSkip() {
		Offerings.ServicePage first = page("?size=25", "id");
		assertThat(first.total()).isEqualTo(60);
		List<String> all = new ArrayList<>();
		for (int page = 0; page < 3; page++) {
			all.addAll(ids("?size=25&page=" + page));
		}
		assertThat(all).hasSize(60).doesNotHaveDuplicates();
		List<String> names = first.items().stream().map(Offerings.ServiceSummary::name).toList();
		assertThat(names).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
		assertThat(ids("?size=25&page=1")).isEqualTo(ids("?size=25&page=1"));
		// another MPP offers fewer of them
		this.client.get().uri("/mpps/kota-jayapura/services").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.total").value(total -> assertThat((Integer) total).isBetween(20, 59));
		this.client.get().uri("/mpps/kota-atlantis/services").exchange().expectStatus().isNotFound();
		// a page number past the bound is a 400 problem, not an overflow into a 500
		this.client.get().uri("/mpps/kota-probolinggo/services?page=21474837&size=100").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType("application/problem+json");
	}

	@Test
	void searchFindsWordsStemsAndPrefixesInEitherLanguageWhateverTheCaseOrAccents() {
		assertThat(ids("?q=akta")).contains("akta-kelahiran", "akta-kematian", "akta-perceraian");
		// a prefix, and a stem: "kelahiran" is indexed as "lahir"
		assertThat(ids("?q=akt")).contains("akta-kelahiran");
		assertThat(ids("?q=lahir")).contains("akta-kelahiran");
		// English names and requirements, case and accents folded
		assertThat(ids("?q=birth certificate")).first().isEqualTo("akta-kelahiran");
		assertThat(ids("?q=PÁSPOR")).contains("paspor-baru", "paspor-penggantian", "paspor-hilang-rusak");
		assertThat(ids("?q=passport")).contains("paspor-baru");
		// every word must match
		assertThat(ids("?q=paspor hilang")).containsExactly("paspor-hilang-rusak");
		assertThat(ids("?q=zzzz")).isEmpty();
	}

	@Test
	void filtersByAgencyAndChannelAndAnswersInTheAskedLanguage() {
		assertThat(ids("?agency=imigrasi")).containsExactlyInAnyOrder("paspor-baru", "paspor-penggantian",
				"paspor-hilang-rusak");
		Offerings.ServicePage online = page("?channel=ONLINE&size=100", "id");
		assertThat(online.items()).isNotEmpty()
			.allSatisfy(item -> assertThat(item.channels().name()).isIn("ONLINE", "BOTH"));
		assertThat(page("?q=akta kelahiran", "en-US").items().get(0).name()).isEqualTo("Birth certificate");
		this.client.get().uri("/mpps/kota-probolinggo/services?q=akta").header(HttpHeaders.ACCEPT_LANGUAGE, "id")
			.exchange().expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "id")
			.expectBody().jsonPath("$.items[0].name").value(name -> assertThat((String) name).startsWith("Pe"));
	}

	WebTestClient.ResponseSpec putOffering(String mpp, String standard, String token, String body) {
		return this.client.put().uri("/mpps/" + mpp + "/offerings/" + standard)
			.headers(headers -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@Test
	void anMppAdministratorDecidesWhatTheirMppOffers() {
		String surabaya = issuer.mppAdmin("s-sby", "kota-surabaya");
		String body = "{\"days\": [\"MONDAY\", \"THURSDAY\"], \"dailyQuota\": 40,"
				+ " \"booking\": {\"slotMinutes\": 30, \"slotCapacity\": 3, \"onlineQuota\": 20}}";
		putOffering("kota-probolinggo", "skck", surabaya, body).expectStatus().isForbidden();
		putOffering("kota-surabaya", "no-such-service", surabaya, body).expectStatus().isEqualTo(422);
		putOffering("kota-surabaya", "skck", surabaya, "{\"dailyQuota\": -1}").expectStatus().isBadRequest();
		putOffering("kota-surabaya", "skck", surabaya, "{\"booking\": {\"slotMinutes\": 2, \"slotCapacity\": 3}}")
			.expectStatus().isBadRequest();
		// more booked online than may be served in a day
		putOffering("kota-surabaya", "skck", surabaya,
				"{\"dailyQuota\": 10, \"booking\": {\"slotMinutes\": 30, \"slotCapacity\": 3, \"onlineQuota\": 11}}")
			.expectStatus().isEqualTo(422);
		putOffering("kota-surabaya", "skck", surabaya, body).expectStatus().value(status -> assertThat(status).isIn(200, 201));
		this.client.get().uri("/mpps/kota-surabaya/services?q=skck").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.items[0].dailyQuota").isEqualTo(40)
			.jsonPath("$.items[0].days[1]").isEqualTo("THURSDAY")
			.jsonPath("$.items[0].booking.slotCapacity").isEqualTo(3)
			.jsonPath("$.items[0].booking.onlineQuota").isEqualTo(20)
			// the letters of its queue numbers at the counter (queue-service numbers with them)
			.jsonPath("$.items[0].queuePrefix").value(prefix -> assertThat((String) prefix).matches("[A-Z]{1,3}"))
			// where: the counter whose services include it (the police's counter of the demo data)
			.jsonPath("$.items[0].counterName").value(name -> assertThat((String) name).contains("Kepolisian"));
		this.client.delete().uri("/mpps/kota-surabaya/offerings/skck").headers(h -> h.setBearerAuth(surabaya)).exchange()
			.expectStatus().isNoContent();
		this.client.get().uri("/mpps/kota-surabaya/services?q=skck").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.total").isEqualTo(0);
	}

}
