package id.mppdigital.catalog.mpp;

import java.util.Map;

import id.mppdigital.catalog.CatalogWebTests;
import id.mppdigital.catalog.demo.DemoCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog checks tokens and decides by itself, as a request that bypasses the gateway finds:
 * reads are public, onboarding is for platform administrators, an MPP administrator edits only
 * their own MPP, and a body cannot point a change elsewhere.
 */
class MppAccessTests extends CatalogWebTests {

	@Autowired
	MppRepository mpps;

	@Autowired
	DemoCatalog demo;

	/** The context and its store are shared with the other catalog tests: leave the demo data as found. */
	@AfterEach
	void restoreDemoData() throws Exception {
		this.mpps.deleteAll().block();
		this.demo.run(new DefaultApplicationArguments());
	}

	static String details(String name, String timeZone) {
		return """
				{"name": "%s", "regionCode": "35.74", "province": "Jawa Timur", "timeZone": "%s",
				 "address": "Jl. Panglima Sudirman No. 19, Probolinggo"}""".formatted(name, timeZone);
	}

	WebTestClient.ResponseSpec put(String id, String token, String body) {
		return this.client.put()
			.uri("/mpps/" + id)
			.headers(headers -> {
				if (token != null) {
					headers.setBearerAuth(token);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	@Test
	void everyBadTokenIs401AtTheServiceAndNothingChanges() {
		put("kota-probolinggo", null, details("Hijacked", "Asia/Jakarta")).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		for (Map.Entry<String, String> bad : issuer.rejectedTokens().entrySet()) {
			put("kota-probolinggo", bad.getValue(), details("Hijacked", "Asia/Jakarta")).expectStatus()
				.value(status -> assertThat(status).as(bad.getKey()).isEqualTo(401))
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).contains("invalid_token"));
		}
		assertThat(this.mpps.findById("kota-probolinggo").block().name()).isEqualTo("MPP Kota Probolinggo");
	}

	/**
	 * The role is checked before the body is read: whatever a citizen sends to an administrator's
	 * endpoint, even an empty or broken body, the answer is 403, never a 400 describing the body.
	 */
	@Test
	void aCitizensWriteIsForbiddenBeforeItsBodyIsRead() {
		String citizen = issuer.citizen("c-nosy");
		for (String[] call : new String[][] { { "PUT", "/standards/ktp-baru/draft" }, { "PUT", "/agencies/dukcapil" },
				{ "PUT", "/holidays/2027/national" }, { "PUT", "/mpps/kota-probolinggo/holidays/2027" },
				{ "PUT", "/mpps/kota-probolinggo/counters/1" }, { "PUT", "/mpps/kota-probolinggo/hours" },
				{ "PUT", "/mpps/kota-probolinggo/offerings/ktp-baru" }, { "POST", "/standards/ktp-baru/publish" },
				{ "PUT", "/mpps/kota-probolinggo" } }) {
			for (String body : new String[] { "{}", "{\"name\":", "[1,2,3]" }) {
				this.client.method(org.springframework.http.HttpMethod.valueOf(call[0]))
					.uri(call[1])
					.headers(headers -> headers.setBearerAuth(citizen))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(body)
					.exchange()
					.expectStatus()
					.value(status -> assertThat(status).as(call[0] + " " + call[1] + " " + body).isEqualTo(403))
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody()
					.jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/forbidden");
			}
		}
		assertThat(this.mpps.findById("kota-probolinggo").block().name()).isEqualTo("MPP Kota Probolinggo");
	}

	@Test
	void citizensAndOfficersCannotEditAnMpp() {
		put("kota-probolinggo", issuer.citizen("c-1"), details("Mine now", "Asia/Jakarta")).expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		put("kota-probolinggo", issuer.officer("s-1", "kota-probolinggo", "dukcapil"), details("Mine now", "Asia/Jakarta"))
			.expectStatus()
			.isForbidden();
		assertThat(this.mpps.findById("kota-probolinggo").block().name()).isEqualTo("MPP Kota Probolinggo");
	}

	@Test
	void anMppAdministratorEditsTheirOwnMppOnlyAndCannotOnboardOne() {
		String adminOfSurabaya = issuer.mppAdmin("s-sby", "kota-surabaya");
		put("kota-probolinggo", adminOfSurabaya, details("Taken over", "Asia/Jakarta")).expectStatus().isForbidden();
		put("kota-batu", adminOfSurabaya, details("MPP Kota Batu", "Asia/Jakarta")).expectStatus().isForbidden();
		assertThat(this.mpps.existsById("kota-batu").block()).isFalse();
		put("kota-surabaya", adminOfSurabaya, details("MPP Kota Surabaya (Siola)", "Asia/Jakarta")).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("kota-surabaya");
		assertThat(this.mpps.findById("kota-surabaya").block().name()).isEqualTo("MPP Kota Surabaya (Siola)");
		assertThat(this.mpps.findById("kota-probolinggo").block().name()).isEqualTo("MPP Kota Probolinggo");
	}

	@Test
	void aPlatformAdministratorOnboardsAnMppWithOneCallAndTheBodyCannotChooseAnotherId() {
		String body = """
				{"id": "kota-probolinggo", "name": "MPP Kota Madiun", "regionCode": "35.77", "province": "Jawa Timur",
				 "timeZone": "Asia/Jakarta", "address": "Jl. Pahlawan No. 37, Madiun"}""";
		put("kota-madiun", issuer.platformAdmin("s-admin"), body).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "/mpps/kota-madiun");
		this.client.get().uri("/mpps/kota-madiun").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo("MPP Kota Madiun");
		assertThat(this.mpps.findById("kota-probolinggo").block().name()).isEqualTo("MPP Kota Probolinggo");
	}

	@Test
	void invalidDetailsAre400ProblemsAndNothingIsStored() {
		String admin = issuer.platformAdmin("s-admin");
		put("kota-kediri", admin, details("MPP Kota Kediri", "Europe/Berlin")).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		put("kota-kediri", admin, "{\"name\": \"\"}").expectStatus().isBadRequest();
		put("Kota Kediri!", admin, details("MPP Kota Kediri", "Asia/Jakarta")).expectStatus().isBadRequest();
		assertThat(this.mpps.existsById("kota-kediri").block()).isFalse();
	}

}
