package id.mppdigital.catalog.standard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import id.mppdigital.catalog.CatalogWebTests;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service standard's life through the API: draft, publish, versions that never change, what is
 * current on which day, every validation path (nothing stored on error), who may do it, the audit
 * trail, and exactly one event per publish on the real broker.
 */
class ServiceStandardTests extends CatalogWebTests {

	static final String KTP = "ktp-el-percobaan";

	@Autowired
	StandardVersionRepository versions;

	@Autowired
	EmbeddedKafkaBroker broker;

	String admin;

	Consumer<String, String> events;

	@BeforeEach
	void setUp() {
		this.admin = issuer.platformAdmin("s-platform");
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "standard-tests-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "latest");
		this.events = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
		this.events.subscribe(List.of(ServiceStandardPublished.TOPIC));
		// join the group and take the current end as the start
		KafkaTestUtils.getRecords(this.events, Duration.ofSeconds(2));
	}

	@AfterEach
	void tearDown() throws InterruptedException {
		this.events.close();
		// let this test's events go out before the next test listens
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!this.versions.findByStatusAndEventSent(StandardVersion.Status.PUBLISHED, false).collectList().block().isEmpty()
				&& System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		this.versions.deleteAll(this.versions.findByStandardId(KTP, org.springframework.data.domain.Sort.by("version"))).block();
	}

	static String content(String name, int days, long fee, String form) {
		return """
				{"agencyId": "dukcapil",
				 "name": {"id": "%s", "en": "New electronic ID card (KTP-el)"},
				 "description": {"id": "Penerbitan KTP-el bagi penduduk yang telah berusia 17 tahun.", "en": "First e-ID card at 17."},
				 "requirements": [{"name": {"id": "Fotokopi Kartu Keluarga", "en": "Copy of the family card"}, "upload": true}],
				 "procedure": [{"id": "Perekaman biometrik", "en": "Biometric recording"}, {"id": "Pencetakan", "en": "Printing"}],
				 "processingDays": %d,
				 "fee": {"amountIdr": %d, "legalBasis": "UU 24/2013 Pasal 79A"},
				 "product": {"id": "KTP-el", "en": "Electronic ID card"},
				 "complaintChannel": "SP4N-LAPOR! (lapor.go.id)",
				 "legalBasis": ["UU No. 24 Tahun 2013"],
				 "channels": "BOTH",
				 "applicationForm": %s,
				 "queuePrefix": "KTP"}""".formatted(name, days, fee, form);
	}

	static final String FORM = """
			{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
			 "required": ["nik"], "properties": {"nik": {"type": "string", "pattern": "^[0-9]{16}$"}}}""";

	WebTestClient.ResponseSpec putDraft(String token, String body) {
		return this.client.put()
			.uri("/standards/" + KTP + "/draft")
			.headers(headers -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	WebTestClient.ResponseSpec publish(LocalDate validFrom) {
		return this.client.post()
			.uri("/standards/" + KTP + "/publish")
			.headers(headers -> headers.setBearerAuth(this.admin))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"validFrom\": \"" + validFrom + "\"}")
			.exchange();
	}

	static LocalDate today() {
		return LocalDate.now(ZoneId.of("Asia/Jakarta"));
	}

	@Test
	void aPublishedVersionNeverChangesAndTheNextOneTakesOverOnItsDay() {
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, FORM)).expectStatus().isOk()
			.expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.status").isEqualTo("DRAFT");
		// a draft is not public
		this.client.get().uri("/standards/" + KTP).exchange().expectStatus().isNotFound();
		this.client.get().uri("/standards/" + KTP + "/versions/1").exchange().expectStatus().isNotFound();
		publish(today()).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("PUBLISHED");

		// changing it makes version 2, valid from a later day; version 1 stays as it was
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 7, 0, FORM)).expectStatus().isOk()
			.expectBody().jsonPath("$.version").isEqualTo(2);
		publish(today().plusDays(10)).expectStatus().isOk();
		this.client.get().uri("/standards/" + KTP).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.standard.processingDays").isEqualTo(14)
			.jsonPath("$.standard.applicationForm.properties.nik.pattern").isEqualTo("^[0-9]{16}$");
		this.client.get().uri("/standards/" + KTP + "?on=" + today().plusDays(10)).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.version").isEqualTo(2).jsonPath("$.standard.processingDays").isEqualTo(7);
		// an application submitted under version 1 can still fetch it
		this.client.get().uri("/standards/" + KTP + "/versions/1").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.standard.processingDays").isEqualTo(14);
		this.client.get().uri("/standards/" + KTP + "/versions").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.length()").isEqualTo(2);
	}

	@Test
	void overlappingOrPastValidityIs422AndNothingIsPublished() {
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, FORM)).expectStatus().isOk();
		publish(today().plusDays(5)).expectStatus().isOk();
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 10, 0, FORM)).expectStatus().isOk();
		publish(today().plusDays(5)).expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("validFrom");
		publish(today().minusDays(1)).expectStatus().isEqualTo(422);
		assertThat(this.versions.findById(StandardVersion.id(KTP, 2)).block().status())
			.isEqualTo(StandardVersion.Status.DRAFT);
	}

	@Test
	void invalidStandardsAreProblemsWithTheirFieldsAndNothingIsStored() {
		putDraft(this.admin, content("", 0, -5000, FORM)).expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/invalid-request")
			.jsonPath("$.errors[*].field").value(fields -> assertThat((List<String>) fields)
				.contains("fee.amountIdr", "name.id", "processingDays"));
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, "{\"type\": \"objekt\", \"properties\": 5}"))
			.expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").value(field -> assertThat((String) field).startsWith("applicationForm"));
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, "{\"type\": \"string\"}"))
			.expectStatus().isEqualTo(422);
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, FORM).replace("\"dukcapil\"", "\"no-such-agency\""))
			.expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("agencyId");
		putDraft(this.admin, "{\"agencyId\": ").expectStatus().isBadRequest();
		// a form refers only to its own parts: nothing is read from the jar, the disk or the network
		for (String reference : new String[] { "classpath:application.yml", "file:///etc/passwd",
				"http://127.0.0.1:1/form.json", "other.json#/x" }) {
			String form = "{\"type\": \"object\", \"properties\": {\"nik\": {\"$ref\": \"" + reference + "\"}}}";
			putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, form))
				.expectStatus().isEqualTo(422)
				.expectBody()
				.jsonPath("$.errors[0].field").isEqualTo("applicationForm/properties/nik/$ref")
				.jsonPath("$.errors[0].message").value(message -> assertThat((String) message)
					.contains("only refer to a part of this form").doesNotContain("Exception"));
		}
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0,
				"{\"type\": \"object\", \"$id\": \"file:///tmp/\", \"properties\": {}}"))
			.expectStatus().isEqualTo(422);
		assertThat(this.versions.existsById(StandardVersion.id(KTP, 1)).block()).isFalse();
		// a local reference is fine
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, """
				{"type": "object", "$defs": {"nik": {"type": "string", "pattern": "^[0-9]{16}$"}},
				 "properties": {"nik": {"$ref": "#/$defs/nik"}}}""")).expectStatus().isOk();
	}

	@Test
	void onlyPlatformAdministratorsManageStandardsAndSeeDrafts() {
		putDraft(issuer.mppAdmin("s-mpp", "kota-probolinggo"), content("X", 14, 0, FORM)).expectStatus().isForbidden();
		putDraft(issuer.officer("s-officer", "kota-probolinggo", "dukcapil"), content("X", 14, 0, FORM))
			.expectStatus().isForbidden();
		assertThat(this.versions.existsById(StandardVersion.id(KTP, 1)).block()).isFalse();
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, FORM)).expectStatus().isOk();
		this.client.get().uri("/standards/" + KTP + "/versions/1").headers(h -> h.setBearerAuth(this.admin)).exchange()
			.expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("DRAFT");
		this.client.get().uri("/audit?target=standards/" + KTP).headers(h -> h.setBearerAuth(this.admin)).exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$[0].action").isEqualTo("standard.draft.create").jsonPath("$[0].actor").isEqualTo("s-platform");
		this.client.get().uri("/audit").headers(h -> h.setBearerAuth(issuer.mppAdmin("s-mpp", "kota-probolinggo")))
			.exchange().expectStatus().isForbidden();
	}

	@Test
	void eachPublishEmitsExactlyOneEventWithTheWholeVersion() {
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 14, 0, FORM)).expectStatus().isOk();
		publish(today()).expectStatus().isOk();
		putDraft(this.admin, content("Penerbitan KTP-el Baru", 7, 0, FORM)).expectStatus().isOk();
		publish(today().plusDays(3)).expectStatus().isOk();
		// several outbox sweeps (every 500 ms here) pass while we wait
		List<ConsumerRecord<String, String>> received = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
		while (System.nanoTime() < deadline) {
			ConsumerRecords<String, String> records = this.events.poll(Duration.ofMillis(500));
			// only this test's standard: the demo catalog's own events may still be going out
			records.forEach(record -> {
				if (KTP.equals(record.key())) {
					received.add(record);
				}
			});
		}
		assertThat(received).hasSize(2);
		assertThat(received).allSatisfy(event -> assertThat(event.key()).isEqualTo(KTP));
		assertThat(received.get(0).value()).contains("\"eventId\":\"" + KTP + "@1\"", "\"processingDays\":14",
				"\"applicationForm\":{");
		assertThat(received.get(1).value()).contains("\"eventId\":\"" + KTP + "@2\"");
		assertThat(this.versions.findByStandardId(KTP, org.springframework.data.domain.Sort.by("version")).collectList().block())
			.allSatisfy(version -> assertThat(version.eventSent()).isTrue());
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).value(metrics -> assertThat(metrics)
				.contains("mpp_outbox_pending{application=\"service-catalog\",topic=\"" + ServiceStandardPublished.TOPIC + "\"} 0.0"));
		assertThat(new String(received.get(1).headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
			.isEqualTo(KTP + "@2");
		// what is emitted is what the published contract says
		Schema contract = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(readContract("mpp.catalog.service-standard-published.v1"));
		for (ConsumerRecord<String, String> event : received) {
			assertThat(contract.validate(event.value(), InputFormat.JSON)).isEmpty();
		}
		assertThat(contract.validate("{\"eventId\": \"x\"}", InputFormat.JSON)).isNotEmpty();
	}

	static String readContract(String topic) {
		try {
			return Files.readString(Path.of("..", "contracts", "events", topic + ".schema.json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
