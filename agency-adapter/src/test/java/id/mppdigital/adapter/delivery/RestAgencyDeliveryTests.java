package id.mppdigital.adapter.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.localstack.MongoWireStore;
import id.mppdigital.simulators.BackOffice;
import id.mppdigital.simulators.RestAgency;
import id.mppdigital.simulators.WebhookSignature;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter against real REST back offices on loopback (the simulators, which count what they
 * received per application): every application reaches its agency once, through an outage, and the
 * agency's signed reports come back as accepted reports; unsigned, replayed, foreign or malformed
 * ones are refused. A slow agency does not slow another.
 */
class RestAgencyDeliveryTests extends AgencyHarness {

	@Test
	void anApplicationReachesItsAgencyOnceAndItsReportsComeBackAccepted() throws Exception {
		String id = submit("dukcapil", "Siti Aminah");
		// Kafka delivers it twice: still one application at the agency
		this.kafka.send(ContractExamples.record(SubmittedApplications.TOPIC, "dukcapil", ContractExamples.text(
				ContractExamples.first(SubmittedApplications.TOPIC).put("eventId", id).put("applicationId", id)
					.put("agencyId", "dukcapil")))).get();
		until("delivery", Duration.ofSeconds(20), () -> dukcapil.received(id));

		List<JsonNode> reports = acceptedReports(id, 4, Duration.ofSeconds(30));
		assertThat(reports).extracting(report -> report.get("status").asString())
			.containsExactly("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");
		assertThat(reports).allSatisfy(report -> {
			assertThat(report.get("agencyId").asString()).isEqualTo("dukcapil");
			assertThat(report.get("via").asString()).isEqualTo("rest");
			assertThat(report.get("eventId").asString()).isEqualTo("dukcapil:" + report.get("reportId").asString());
		});
		assertThat(dukcapil.duplicates()).isZero();
		// delivered: the form (personal data) is gone from the adapter's store
		Delivery stored = this.store.findById(id, Delivery.class).block();
		assertThat(stored.state()).isEqualTo(Delivery.State.DELIVERED);
		assertThat(stored.payload()).isNull();
		assertThat(stored.agencyReference()).startsWith("DUKCAPIL-");
	}

	@Test
	void whileTheAgencyIsDownNothingIsLostAndAfterwardsEachApplicationArrivesOnce() throws Exception {
		long before = delivered("dukcapil");
		int already = dukcapil.applications();
		dukcapil.mode(BackOffice.Mode.DOWN);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			ids.add(submit("dukcapil", "Pemohon " + i));
		}
		until("attempts while down", Duration.ofSeconds(20), () -> dukcapil.requests() > 0 && this.store
			.count(Query.query(Criteria.where("agencyId").is("dukcapil").and("state").is("PENDING")), Delivery.class)
			.block() >= 150);
		assertThat(dukcapil.applications()).isEqualTo(already);

		dukcapil.mode(BackOffice.Mode.NORMAL);
		until("200 delivered", Duration.ofSeconds(90), () -> delivered("dukcapil") >= before + 200);
		assertThat(ids).allMatch(dukcapil::received);
		assertThat(dukcapil.applications()).isEqualTo(already + 200);
		assertThat(dukcapil.duplicates()).isZero();
		// what an operator watches: nothing waiting any more, and the agency took one just now
		until("the gauges", Duration.ofSeconds(10), () -> gauge("mpp.adapter.undelivered") == 0.0
				&& gauge("mpp.adapter.last.delivery") != null && gauge("mpp.adapter.last.delivery") < 30);
	}

	/**
	 * The window a crash or a cut connection leaves: the agency took the application, but the answer
	 * never reached the adapter. The adapter cannot know, so it sends again — with the same key, so the
	 * agency recognises it and nothing is applied twice.
	 */
	@Test
	void anUncertainDeliveryIsSentAgainUnderTheSameKeyAndAppliedOnce() throws Exception {
		dukcapil.mode(BackOffice.Mode.ANSWER_LOST);
		long requestsBefore = dukcapil.requests();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(submit("dukcapil", "Tak Pasti " + i));
		}
		// the first ones reach the agency (then the time-outs open the agency's breaker for a while)
		until("some taken by the agency", Duration.ofSeconds(30), () -> ids.stream().filter(dukcapil::received).count() >= 5);
		List<String> taken = ids.stream().filter(dukcapil::received).toList();
		// none of their answers came back in time: the adapter still has them to send
		assertThat(taken).allMatch(id -> stateOf(id) == Delivery.State.PENDING);
		dukcapil.mode(BackOffice.Mode.NORMAL);
		until("all delivered", Duration.ofSeconds(60), () -> ids.stream()
			.allMatch(id -> stateOf(id) == Delivery.State.DELIVERED));
		assertThat(dukcapil.requests() - requestsBefore).isGreaterThanOrEqualTo(20 + taken.size());
		assertThat(dukcapil.duplicates()).isZero();
		assertThat(ids).allSatisfy(id -> assertThat(this.store.findById(id, Delivery.class).block().agencyReference())
			.startsWith("DUKCAPIL-"));
	}

	@Test
	void anApplicationTheAgencyRefusesWaitsForAnOperatorAndTheOthersFlow() throws Exception {
		dukcapil.refusing(true);
		String poison = submit("dukcapil", "TOLAK");
		String fine = submit("dukcapil", "Budi Santoso");
		until("the good one delivered", Duration.ofSeconds(20), () -> dukcapil.received(fine));
		until("the poison one refused", Duration.ofSeconds(20),
				() -> stateOf(poison) == Delivery.State.REFUSED);
		Delivery refused = this.store.findById(poison, Delivery.class).block();
		assertThat(refused.lastError()).contains("422");
		assertThat(refused.payload()).isNotNull();
		assertThat(dukcapil.received(poison)).isFalse();
		// announced on the agency's dead-letter topic, with the agency's answer
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "refusals-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "earliest");
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
				new StringDeserializer()).createConsumer()) {
			consumer.subscribe(List.of(Deliveries.deadLetterTopic("dukcapil")));
			List<ConsumerRecord<String, String>> dead = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (dead.stream().noneMatch(record -> poison.equals(record.key())) && System.nanoTime() < deadline) {
				KafkaTestUtils.getRecords(consumer, Duration.ofMillis(500)).forEach(dead::add);
			}
			ConsumerRecord<String, String> letter = dead.stream().filter(record -> poison.equals(record.key())).findFirst()
				.orElseThrow(() -> new AssertionError("no dead letter for " + poison));
			assertThat(new String(letter.headers().lastHeader("mpp_dlt_reason").value(), StandardCharsets.UTF_8))
				.startsWith("refused: HTTP 422");
			assertThat(letter.value()).contains(poison);
		}

		// an operator sees it with the agency's answer (and no form), and sends it again after the fix
		String operator = issuer.token("mpp-operator", Map.of("roles", List.of("operator")));
		this.client.get().uri("/agencies/dukcapil/deliveries?state=REFUSED").headers(h -> h.setBearerAuth(operator))
			.exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$[?(@.applicationId == '" + poison + "')].lastError").value(error -> assertThat(error.toString()).contains("422"))
			.jsonPath("$[0].form").doesNotExist()
			.jsonPath("$[0].payload").doesNotExist();
		this.client.get().uri("/agencies/dukcapil/deliveries").headers(h -> h.setBearerAuth(issuer.citizen("c-nosy")))
			.exchange().expectStatus().isForbidden();
		this.client.post().uri("/agencies/dukcapil/deliveries/PMH-261202-ZZZZZZZZ/retry").headers(h -> h.setBearerAuth(operator))
			.exchange().expectStatus().isNotFound();
		dukcapil.refusing(false);
		this.client.post().uri("/agencies/dukcapil/deliveries/retry").headers(h -> h.setBearerAuth(operator))
			.exchange().expectStatus().isAccepted()
			.expectBody().jsonPath("$.deliveries").value(count -> assertThat(((Number) count).intValue()).isGreaterThanOrEqualTo(1));
		until("the fixed one delivered", Duration.ofSeconds(20), () -> dukcapil.received(poison));
		assertThat(dukcapil.duplicates()).isZero();
		dukcapil.refusing(true);
	}

	@Test
	void aSlowAgencyDoesNotSlowAnother() throws Exception {
		kemenag.slowBy(Duration.ofSeconds(10));
		kemenag.mode(BackOffice.Mode.SLOW);
		long kemenagBefore = kemenag.applications();
		for (int i = 0; i < 3; i++) {
			submit("kemenag", "Lambat " + i);
		}
		// kemenag's calls are under way, and each will take 10 s
		until("kemenag's calls under way", Duration.ofSeconds(20), () -> kemenag.requests() >= 3);
		long started = System.nanoTime();
		List<String> quick = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			quick.add(submit("dukcapil", "Cepat " + i));
		}
		until("dukcapil's five", Duration.ofSeconds(5), () -> quick.stream().allMatch(dukcapil::received));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		// while kemenag has not finished a single one of its own
		assertThat(kemenag.applications()).isEqualTo(kemenagBefore);
		kemenag.mode(BackOffice.Mode.NORMAL);
	}

	private WebTestClient.ResponseSpec report(String agencyId, String secret, String timestamp, String body) {
		return this.client.post().uri("/agencies/" + agencyId + "/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
			.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body))
			.bodyValue(body)
			.exchange();
	}

	@Test
	void onlyItsAgencysSignedFreshReportsOnItsOwnApplicationsAreTaken() throws Exception {
		String id = submit("dukcapil", "Dewi");
		until("delivery", Duration.ofSeconds(20), () -> dukcapil.received(id));
		String now = Long.toString(Instant.now().getEpochSecond());
		String body = "{\"reportId\":\"HAND-1\",\"applicationId\":\"" + id + "\",\"status\":\"IN_PROCESS\",\"at\":\""
				+ Instant.now() + "\"}";

		report("dukcapil", "wrong-secret", now, body).expectStatus().isUnauthorized()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		report("dukcapil", SECRET, Long.toString(Instant.now().minusSeconds(600).getEpochSecond()), body)
			.expectStatus().isUnauthorized();
		this.client.post().uri("/agencies/dukcapil/reports").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange().expectStatus().isUnauthorized();
		// kemenag, signing correctly with its own secret, cannot report on dukcapil's application
		report("kemenag", "kemenag-secret", now, body).expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("not delivered to agency kemenag"));
		report("dukcapil", SECRET, now, "{\"reportId\":\"HAND-2\",\"applicationId\":\"" + id + "\",\"status\":\"DONE\"}")
			.expectStatus().isEqualTo(422);
		report("nobody", SECRET, now, body).expectStatus().isNotFound();

		WebTestClient.ResponseSpec first = report("dukcapil", SECRET, now, body);
		first.expectStatus().isAccepted();
		// the same call again (a replay): refused although its signature is valid
		report("dukcapil", SECRET, now, body).expectStatus().isEqualTo(409);
	}

}
