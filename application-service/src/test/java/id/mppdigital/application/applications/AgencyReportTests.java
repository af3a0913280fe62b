package id.mppdigital.application.applications;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import id.mppdigital.application.ApplicationWebTests;
import id.mppdigital.defaults.events.DeadLetters;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.defaults.test.DeadLetterProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agencies' reports as the adapter hands them over ({@code mpp.agency.report-accepted.v1}, the
 * contract's shape), and the same rules over the API: each applied once and in order, a late one
 * kept but never moving the application back, a foreign, unknown or illegal one dead-lettered with
 * the reason while the others flow.
 */
class AgencyReportTests extends ApplicationWebTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	MeterRegistry meters;

	private final String officer = issuer.officer("s-reports", "kota-probolinggo", "dukcapil");

	private String submitted(String subject, String nik) {
		return send(issuer.citizen(subject), body(KTP, ktpForm(nik)), null)
			.expectStatus().isCreated()
			.returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
	}

	private static ObjectNode report(String agency, String reportId, String application, String status, String at,
			Integer sequence) {
		ObjectNode report = ContractExamples.first(AgencyReports.TOPIC)
			.put("eventId", agency + ":" + reportId)
			.put("reportId", reportId)
			.put("applicationId", application)
			.put("agencyId", agency)
			.put("status", status)
			.put("at", at)
			.putNull("agencyReference");
		if (sequence == null) {
			report.putNull("sequence");
		}
		else {
			report.put("sequence", sequence);
		}
		return report;
	}

	private void deliver(ObjectNode report) throws Exception {
		this.kafka.send(ContractExamples.record(AgencyReports.TOPIC, report.get("applicationId").asString(),
				ContractExamples.text(report))).get();
	}

	private WebTestClient.BodyContentSpec application(String id) {
		return this.client.get().uri("/" + id).headers(h -> h.setBearerAuth(this.officer)).exchange()
			.expectStatus().isOk().expectBody();
	}

	/** Waits until the application has this many steps in its history. */
	private void untilSteps(String id, int steps) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			List<?> history = (List<?>) this.client.get().uri("/" + id).headers(h -> h.setBearerAuth(this.officer))
				.exchange().expectBody(Map.class).returnResult().getResponseBody().get("history");
			if (history.size() >= steps) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError(id + " never reached " + steps + " steps");
	}

	@Test
	void reportsAreAppliedOnceAndInOrderAndALateOneNeverMovesAnApplicationBack() throws Exception {
		String id = submitted("c-reported", "3574010101900081");
		deliver(report("dukcapil", "DKC-1", id, "RECEIVED", "2026-11-27T17:00:00Z", 1).put("agencyReference", "DKC-2026-77"));
		deliver(report("dukcapil", "DKC-1", id, "RECEIVED", "2026-11-27T17:00:00Z", 1));
		deliver(report("dukcapil", "DKC-3", id, "NEEDS_REVISION", "2026-11-27T19:00:00Z", 3)
			.set("revision", ContractExamples.first("mpp.agency.reports.v1").get("revision")));
		// the agency's IN_PROCESS of 18:00 arrives after its NEEDS_REVISION of 19:00
		deliver(report("dukcapil", "DKC-2", id, "IN_PROCESS", "2026-11-27T18:00:00Z", 2));
		untilSteps(id, 4);

		application(id)
			.jsonPath("$.state").isEqualTo("NEEDS_REVISION")
			.jsonPath("$.agencyReference").isEqualTo("DKC-2026-77")
			.jsonPath("$.history.length()").isEqualTo(4)
			.jsonPath("$.history[1].state").isEqualTo("RECEIVED")
			.jsonPath("$.history[2].revision[0].message").isEqualTo("Nama tidak sesuai dengan Kartu Keluarga")
			.jsonPath("$.history[3].state").isEqualTo("IN_PROCESS")
			.jsonPath("$.history[3].late").isEqualTo(true);
		assertThat(this.meters.counter("mpp.application.reports", "via", "rest", "result", "duplicate").count())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void aReportForAnotherAgencyOrNoApplicationOrAnIllegalMoveIsDeadLetteredWithTheReason() throws Exception {
		String id = submitted("c-refused", "3574010101900082");
		try (DeadLetterProbe deadLetters = DeadLetterProbe.of(this.broker, AgencyReports.TOPIC)) {
			deliver(report("polri", "PLR-1", id, "APPROVED", "2026-11-27T17:00:00Z", null));
			deliver(report("dukcapil", "DKC-9", "PMH-261127-ZZZZZZZZ", "RECEIVED", "2026-11-27T17:00:00Z", null));
			deliver(report("dukcapil", "DKC-10", id, "COMPLETED", "2026-11-27T17:00:00Z", null));
			// the good one behind them flows
			deliver(report("dukcapil", "DKC-11", id, "RECEIVED", "2026-11-27T17:01:00Z", null));

			List<ConsumerRecord<String, String>> dead = deadLetters.next(3);
			assertThat(DeadLetterProbe.header(dead.get(0), DeadLetters.REASON_HEADER)).contains("not agency polri's");
			assertThat(DeadLetterProbe.header(dead.get(1), DeadLetters.REASON_HEADER)).contains("no application PMH-261127-ZZZZZZZZ");
			assertThat(DeadLetterProbe.header(dead.get(2), DeadLetters.REASON_HEADER)).contains("cannot become COMPLETED");
			untilSteps(id, 2);
			application(id).jsonPath("$.state").isEqualTo("RECEIVED").jsonPath("$.history.length()").isEqualTo(2);
		}
	}

	@Test
	void theApiGoesThroughTheSameRulesAndARepeatedRequestIsAppliedOnce() {
		String id = submitted("c-api-report", "3574010101900083");
		for (int i = 0; i < 2; i++) {
			this.client.post().uri("/" + id + "/state").headers(h -> {
				h.setBearerAuth(this.officer);
				h.add("Idempotency-Key", "counter-7-needs-fix");
			}).contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"state\":\"NEEDS_REVISION\",\"revision\":[{\"field\":\"foto\",\"message\":\"Foto buram\"}]}")
				.exchange()
				.expectStatus().isOk();
		}
		application(id).jsonPath("$.state").isEqualTo("NEEDS_REVISION").jsonPath("$.history.length()").isEqualTo(2);
		// a revision request says what to fix
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(this.officer))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"IN_PROCESS\"}").exchange()
			.expectStatus().isOk();
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(this.officer))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"NEEDS_REVISION\"}").exchange()
			.expectStatus().isBadRequest();
		// approved, then completed with where to collect it; nothing after that
		for (String body : List.of("{\"state\":\"APPROVED\"}",
				"{\"state\":\"COMPLETED\",\"collection\":\"Loket 3, MPP Kota Probolinggo\"}")) {
			this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(this.officer))
				.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
		}
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(this.officer))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"IN_PROCESS\"}").exchange()
			.expectStatus().isEqualTo(409);
		application(id).jsonPath("$.state").isEqualTo("COMPLETED")
			.jsonPath("$.history[4].collection").isEqualTo("Loket 3, MPP Kota Probolinggo");
	}

}
