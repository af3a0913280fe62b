package id.mppdigital.application.applications;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import id.mppdigital.application.ApplicationWebTests;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agency hears of every application exactly once in the normal case (a repeated submission is
 * the same application, so no second event), and everyone of each state change, in the shapes the
 * published contracts describe.
 */
class ApplicationEventsTests extends ApplicationWebTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	Consumer<String, String> events;

	@BeforeEach
	void listen() {
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "submitted-tests-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "latest");
		this.events = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
		this.events.subscribe(List.of(ApplicationEvents.SUBMITTED, ApplicationEvents.STATE_CHANGED));
		// join the group and take the current end as the start
		KafkaTestUtils.getRecords(this.events, Duration.ofSeconds(2));
	}

	@AfterEach
	void close() {
		this.events.close();
	}

	private String submit(String citizen, String nik, String key) {
		return this.client.post().uri("/").headers(h -> {
			h.setBearerAuth(citizen);
			h.add("Idempotency-Key", key);
		}).contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + KTP + "\",\"form\":" + ktpForm(nik) + "}")
			.exchange()
			.expectStatus().is2xxSuccessful()
			.returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
	}

	@Test
	void eachApplicationIsSentToItsAgencyOnceAsTheContractSays() {
		String citizen = issuer.citizen("c-events");
		String first = submit(citizen, "3574010101900031", "events-key-0001");
		assertThat(submit(citizen, "3574010101900031", "events-key-0001")).isEqualTo(first);
		String second = submit(citizen, "3574010101900032", "events-key-0002");

		List<ConsumerRecord<String, String>> received = received(ApplicationEvents.SUBMITTED,
				value -> value.contains("3574010101900031") || value.contains("3574010101900032"));
		assertThat(received).extracting(ConsumerRecord::key).containsOnly("dukcapil");
		assertThat(received).extracting(record -> new String(record.headers().lastHeader("ce_id").value(),
				StandardCharsets.UTF_8)).containsExactlyInAnyOrder(first, second);
		Schema contract = contract(ApplicationEvents.SUBMITTED);
		for (ConsumerRecord<String, String> event : received) {
			assertThat(contract.validate(event.value(), InputFormat.JSON)).as(event.value()).isEmpty();
			assertThat(event.value()).contains("\"dueDate\":\"2026-12-02\"", "\"standardVersion\":1");
		}
		assertThat(contract.validate("{\"eventId\": \"x\"}", InputFormat.JSON)).isNotEmpty();
	}

	@Test
	void everyStateChangeIsToldWithWhoMadeIt() {
		String citizen = issuer.citizen("c-changes");
		String decided = submit(citizen, "3574010101900033", "events-key-0003");
		String withdrawn = submit(citizen, "3574010101900034", "events-key-0004");
		String officer = issuer.officer("s-dewi", "kota-probolinggo", "dukcapil");
		move(officer, decided, "{\"state\":\"IN_PROCESS\"}");
		move(issuer.agencySystem("agency-dukcapil", "dukcapil"), decided,
				"{\"state\":\"COMPLETED\",\"agencyReference\":\"DKP-77\"}");
		move(citizen, withdrawn, "{\"state\":\"WITHDRAWN\",\"note\":\"salah pilih layanan\"}");

		List<ConsumerRecord<String, String>> received = received(ApplicationEvents.STATE_CHANGED,
				value -> value.contains(decided) || value.contains(withdrawn));
		Schema contract = contract(ApplicationEvents.STATE_CHANGED);
		for (ConsumerRecord<String, String> event : received) {
			assertThat(contract.validate(event.value(), InputFormat.JSON)).as(event.value()).isEmpty();
			assertThat(event.value()).doesNotContain("3574010101900033", "3574010101900034");
		}
		// the latest state of each is told (an earlier one may be folded into it), in order per application
		ConsumerRecord<String, String> lastDecided = received.stream().filter(r -> r.key().equals(decided))
			.reduce((a, b) -> b).orElseThrow();
		assertThat(lastDecided.value()).contains("\"state\":\"COMPLETED\"", "\"by\":\"agency_system\"",
				"\"agencyReference\":\"DKP-77\"", "\"applicant\":\"c-changes\"");
		assertThat(new String(lastDecided.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
			.isEqualTo(decided + "@3");
		assertThat(received).filteredOn(r -> r.key().equals(withdrawn)).singleElement()
			.satisfies(r -> assertThat(r.value()).contains("\"state\":\"WITHDRAWN\"", "\"by\":\"citizen\""));
		assertThat(received).extracting(r -> new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
			.doesNotHaveDuplicates();
	}

	private void move(String token, String id, String body) {
		this.client.post().uri("/" + id + "/state").headers(h -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
	}

	/** What arrives on a topic within a few seconds (several outbox sweeps), of this test's applications. */
	private List<ConsumerRecord<String, String>> received(String topic, Predicate<String> ours) {
		List<ConsumerRecord<String, String>> received = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(7).toNanos();
		while (System.nanoTime() < deadline) {
			this.events.poll(Duration.ofMillis(500)).forEach(record -> {
				if (record.topic().equals(topic) && ours.test(record.value())) {
					received.add(record);
				}
			});
		}
		return received;
	}

	private static Schema contract(String topic) {
		try {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
				.getSchema(Files.readString(Path.of("..", "contracts", "events", topic + ".schema.json")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
