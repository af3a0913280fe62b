package id.mppdigital.application.applications;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import id.mppdigital.application.ApplicationWebTests;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.micrometer.core.instrument.MeterRegistry;

import org.bson.Document;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submitting: the form is checked against the standard's schema, bad input is a problem that leaves
 * nothing behind, a repeated request with the same Idempotency-Key never makes a second application,
 * and the lifecycle only moves forward.
 */
class ApplicationSubmissionTests extends ApplicationWebTests {

	private int count(String token) {
		return this.client.get().uri("/?size=100").headers(h -> h.setBearerAuth(token)).exchange()
			.expectStatus().isOk()
			.expectBody(Map.class).returnResult().getResponseBody().get("items") instanceof java.util.List<?> items
					? items.size() : -1;
	}

	@Test
	void aRepeatedSubmissionWithTheSameKeyGivesTheSameApplication() {
		String citizen = issuer.citizen("c-retry");
		String key = "7f0c2b1e-5d7a-4c61-9a38-0b2f6e4d1c99";
		String first = send(citizen, body(KTP, ktpForm("3574010101900011")), key)
			.expectStatus().isCreated()
			.returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
		// the answer was lost; the app sends the same request again
		send(citizen, body(KTP, ktpForm("3574010101900011")), key)
			.expectStatus().isOk()
			.expectHeader().valueEquals("Location", "/" + first)
			.expectBody().jsonPath("$.id").isEqualTo(first);
		assertThat(count(citizen)).isEqualTo(1);

		// the same key for something else is refused, not silently answered with the first
		send(citizen, body(KTP, ktpForm("3574010101900012")), key)
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
		// another citizen's key is theirs alone
		send(issuer.citizen("c-retry-2"), body(KTP, ktpForm("3574010101900011")), key).expectStatus().isCreated();
		// without a key every request is a new application
		send(citizen, body(KTP, ktpForm("3574010101900013")), null).expectStatus().isCreated();
		assertThat(count(citizen)).isEqualTo(2);
	}

	@Test
	void theDueDateCountsTheStandardsWorkingDaysFromTheSubmissionDayAtTheMpp() {
		String citizen = issuer.citizen("c-due");
		send(citizen, body(KTP, ktpForm("3574010101900021")), null).expectStatus().isCreated()
			.expectBody().jsonPath("$.dueDate").isEqualTo("2026-12-02");
		send(citizen, body(KTP, ktpForm("3574010101900022")).replace("kota-probolinggo", "kota-jayapura"), null)
			.expectStatus().isCreated()
			.expectBody().jsonPath("$.dueDate").isEqualTo("2026-12-03");
		// the same instant is the 27th in WIB and the 28th in WIT; the standard promises 5 working days
		assertThat(catalog.received).contains("/mpps/kota-probolinggo/working-days?from=2026-11-27&add=5",
				"/mpps/kota-jayapura/working-days?from=2026-11-28&add=5");
	}

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void theStoredApplicationShowsNoPersonalData() {
		String citizen = issuer.citizen("c-private");
		// the applicant (and the agency) read the form as submitted ...
		String id = send(citizen, body(KTP, ktpForm("3574010101900041")), "private-key-0001")
			.expectStatus().isCreated()
			// personal data: no browser, proxy or gateway may keep a copy
			.expectHeader().value(HttpHeaders.CACHE_CONTROL, value -> assertThat(value).contains("no-store"))
			.expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
		this.client.get().uri("/{id}", id).headers(h -> h.setBearerAuth(citizen)).exchange()
			.expectStatus().isOk()
			.expectHeader().value(HttpHeaders.CACHE_CONTROL, value -> assertThat(value).contains("no-store"))
			.expectBody().jsonPath("$.form.nik").isEqualTo("3574010101900041");
		this.client.get().uri("/").headers(h -> h.setBearerAuth(citizen)).exchange()
			.expectHeader().value(HttpHeaders.CACHE_CONTROL, value -> assertThat(value).contains("no-store"));
		// ... while the database holds it encrypted, and the idempotency record only a keyed fingerprint
		String stored = this.mongo.getCollection("applications")
			.flatMapMany(collection -> collection.find(new Document("applicant", "c-private")))
			.map(Document::toJson)
			.collectList()
			.block(Duration.ofSeconds(5))
			.toString();
		String submissions = this.mongo.getCollection("submissions")
			.flatMapMany(collection -> collection.find())
			.map(Document::toJson)
			.collectList()
			.block(Duration.ofSeconds(5))
			.toString();

		assertThat(stored).contains("\"form\": \"enc:k1:").doesNotContain("3574010101900041", "Siti", "081234567890");
		assertThat(submissions).doesNotContain("3574010101900041");
	}

	@Test
	void onlyWhatTheMppOffersOnlineCanBeAppliedFor() {
		String citizen = issuer.citizen("c-nowhere");
		send(citizen, body(KTP, ktpForm("3574010101900023")).replace("kota-probolinggo", "kota-atlantis"), "key-atlantis-1")
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("mppId");
		send(citizen, body(SIM, "{\"nomorSim\":\"1234\"}").replace("kota-probolinggo", "kota-jayapura"), null)
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("standardId")
			.jsonPath("$.errors[0].message").isEqualTo("is not offered at this MPP");
		send(citizen, body(COUNTER_ONLY, "{\"nik\":\"3574010101900023\"}"), null)
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("standardId")
			.jsonPath("$.errors[0].message").value(message -> assertThat(message.toString()).contains("counter"));
		assertThat(count(citizen)).isZero();
		// the same service where it is offered goes through
		send(citizen, body(SIM, "{\"nomorSim\":\"1234\"}"), null).expectStatus().isCreated();
	}

	@Test
	void whileTheCatalogIsDownASubmissionIs503AndItsRepeatGoesThroughLater() {
		String citizen = issuer.citizen("c-catalog-down");
		String request = body(KTP, ktpForm("3574010101900024")).replace("kota-probolinggo", "kota-malang");
		catalog.down = true;
		try {
			send(citizen, request, "key-catalog-down-1")
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader().valueEquals("Retry-After", "10")
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			catalog.down = false;
		}
		assertThat(count(citizen)).isZero();
		send(citizen, request, "key-catalog-down-1").expectStatus().isCreated()
			.expectBody().jsonPath("$.dueDate").isEqualTo("2026-12-02");
	}

	@Test
	void simultaneousRepeatsOfOneSubmissionMakeOneApplication() {
		String citizen = issuer.citizen("c-double-tap");
		String key = "double-tap-0001";
		List<EntityExchangeResult<Map>> answers = Flux.range(0, 8)
			.flatMap(i -> Mono.fromCallable(() -> send(citizen, body(KTP, ktpForm("3574010101900016")), key)
				.expectBody(Map.class).returnResult()).subscribeOn(Schedulers.boundedElastic()))
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(answers).extracting(answer -> answer.getStatus().value()).containsOnly(201, 200);
		assertThat(answers).filteredOn(answer -> answer.getStatus().value() == 201).hasSize(1);
		assertThat(answers).extracting(answer -> answer.getResponseBody().get("id")).containsOnly(
				answers.get(0).getResponseBody().get("id"));
		assertThat(count(citizen)).isEqualTo(1);
	}

	@Test
	void aFormThatDoesNotFitTheStandardIsRefusedAndNothingIsStored() {
		String citizen = issuer.citizen("c-invalid");
		send(citizen, body(KTP, "{\"nik\":\"35740101019\",\"nama\":\"Siti\"}"), "key-invalid-form-1")
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/unprocessable")
			.jsonPath("$.errors[?(@.field == 'form/nik')]").exists()
			.jsonPath("$.errors[?(@.field == 'form')].message").value(messages -> assertThat(messages.toString())
				.contains("telepon"));
		send(citizen, body("no-such-service", "{}"), null)
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("standardId");
		send(citizen, body(KTP, "[1,2]"), null)
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("form");
		send(citizen, "{\"mppId\":\"Kota Probolinggo!\",\"form\":{}}", null)
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'mppId')]").exists()
			.jsonPath("$.errors[?(@.field == 'standardId')]").exists();
		send(citizen, "{\"mppId\":", null).expectStatus().isBadRequest();
		send(citizen, body(KTP, ktpForm("3574010101900014")), "short").expectStatus().isBadRequest();
		// 16 digits, but no one's NIK: 31 February; the field says which part is wrong
		send(citizen, body(KTP, ktpForm("3574013102900014")), "key-impossible-nik")
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("form/nik")
			.jsonPath("$.errors[0].message").value(message -> assertThat(message.toString())
				.contains("digits 7-12 (310290) are no birth date"));
		send(citizen, body(KTP, ktpForm("9974010101900014")), "key-unknown-province")
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].message").value(message -> assertThat(message.toString())
				.contains("no province code"));
		assertThat(count(citizen)).isZero();
		// a page past the bound is refused, never wrapped round to the first page
		this.client.get().uri("/?page=2147483647").headers(h -> h.setBearerAuth(citizen)).exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

		// the key of a refused request is still free: the corrected request goes through under it
		send(citizen, body(KTP, ktpForm("3574010101900014")), "key-invalid-form-1").expectStatus().isCreated();
	}

	@Autowired
	MeterRegistry meters;

	private double counted(String state) {
		return this.meters.counter("mpp.applications", "state", state, "agency", "dukcapil").count();
	}

	@Test
	void theLifecycleOnlyMovesForward() {
		double submitted = counted("SUBMITTED");
		double rejected = counted("REJECTED");
		double completed = counted("COMPLETED");
		String id = send(issuer.citizen("c-lifecycle"), body(KTP, ktpForm("3574010101900015")), null)
			.expectStatus().isCreated()
			.returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
		String officer = issuer.officer("s-dewi", "kota-probolinggo", "dukcapil");
		move(officer, id, "COMPLETED").expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// a rejection says why
		move(officer, id, "REJECTED").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("reason");
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(officer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"state\":\"REJECTED\",\"reason\":\"Kartu Keluarga tidak terbaca\"}").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.history[1].reason").isEqualTo("Kartu Keluarga tidak terbaca");
		move(officer, id, "IN_PROCESS").expectStatus().isEqualTo(HttpStatus.CONFLICT);
		move(officer, id, "FINISHED").expectStatus().isBadRequest();
		this.client.get().uri("/" + id).headers(h -> h.setBearerAuth(officer)).exchange()
			.expectBody()
			.jsonPath("$.state").isEqualTo("REJECTED")
			.jsonPath("$.history.length()").isEqualTo(2);
		// what operators see: one more submitted, one more rejected (refused moves are not counted)
		assertThat(counted("SUBMITTED")).isEqualTo(submitted + 1);
		assertThat(counted("REJECTED")).isEqualTo(rejected + 1);
		assertThat(counted("COMPLETED")).isEqualTo(completed);
	}

	private WebTestClient.ResponseSpec move(String token, String id, String state) {
		return this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"" + state + "\"}").exchange();
	}

}
