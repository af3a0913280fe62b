package id.mppdigital.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.application.standard.StandardReplica;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.localstack.MongoWireStore;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * application-service over HTTP as clients reach it, on the embedded MongoDB-wire store and a real
 * (embedded) Kafka broker, validating tokens from a {@link TestIssuer}. The service standards it
 * knows arrive the way they do in production: as the catalog's published-standard events (the
 * contract's shape), read by its replica. One context for every subclass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.application.form-encryption.keys.k1=" + ApplicationWebTests.FORM_KEY })
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
public abstract class ApplicationWebTests {

	protected static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	protected static final TestIssuer issuer = new TestIssuer();

	protected static final CatalogStub catalog = new CatalogStub();

	/** The tests' own form-encryption key (32 bytes). */
	static final String FORM_KEY = "dGVzdHMtb25seS1mb3JtLWtleS0zMi1ieXRlcy0hISE=";

	/**
	 * Every test submits at 2026-11-27 16:30 UTC: still the 27th in Probolinggo (WIB, 23:30), already
	 * the 28th in Jayapura (WIT, 01:30).
	 */
	protected static final Instant NOW = Instant.parse("2026-11-27T16:30:00Z");

	@TestBean
	protected Clock clock;

	static Clock clock() {
		return Clock.fixed(NOW, ZoneOffset.UTC);
	}

	/** A Dukcapil service: the form needs a 16-digit NIK, a name and a phone number. */
	protected static final String KTP = "ktp-el-baru";

	/** A police service: the form needs the licence number. */
	protected static final String SIM = "sim-perpanjangan";

	/** A service only at the counter (biometrics): not for online applications. */
	protected static final String COUNTER_ONLY = "ktp-el-perekaman";

	private static volatile boolean published;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-application"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri", catalog::uri);
	}

	@Autowired
	protected WebTestClient client;

	@Autowired
	private KafkaTemplate<String, String> kafka;

	@Autowired
	private StandardReplica standards;

	@BeforeEach
	void standardsPublished() {
		if (published) {
			return;
		}
		this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, COUNTER_ONLY, event(COUNTER_ONLY, "dukcapil", "COUNTER", """
				{"type":"object","properties":{"nik":{"type":"string"}}}""")));
		this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, KTP, event(KTP, "dukcapil", "BOTH", """
				{"type":"object","required":["nik","nama","telepon"],"properties":{
				  "nik":{"type":"string","pattern":"^[0-9]{16}$"},"nama":{"type":"string","minLength":1},
				  "telepon":{"type":"string","pattern":"^\\\\+?[0-9]{8,15}$"}}}""")));
		this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, SIM, event(SIM, "polri", "ONLINE", """
				{"type":"object","required":["nomorSim"],"properties":{"nomorSim":{"type":"string"}}}""")));
		// the replica has both once they are the current versions
		Mono.defer(() -> Mono.zip(this.standards.current(KTP), this.standards.current(SIM),
				this.standards.current(COUNTER_ONLY)))
			.repeatWhenEmpty(times -> times.delayElements(Duration.ofMillis(100)))
			.block(Duration.ofSeconds(30));
		published = true;
	}

	/** A published-standard event as the catalog sends it (contracts/events), version 1 valid since 2026. */
	private static String event(String standardId, String agencyId, String channels, String form) {
		return """
				{"eventId":"%1$s@1","standardId":"%1$s","version":1,"validFrom":"2026-01-01",
				 "publishedAt":"2026-01-01T00:00:00Z","standard":{"agencyId":"%2$s",
				 "name":{"id":"%1$s","en":null},"description":{"id":"-","en":null},"requirements":[],
				 "procedure":[{"id":"-","en":null}],"processingDays":5,"fee":{"amountIdr":0,"legalBasis":"-"},
				 "product":{"id":"-","en":null},"complaintChannel":"-","legalBasis":["-"],"channels":"%4$s",
				 "applicationForm":%3$s,"queuePrefix":"A"}}""".formatted(standardId, agencyId, form, channels);
	}

	/** A citizen's submission through the API, with an {@code Idempotency-Key} unless it is null. */
	protected WebTestClient.ResponseSpec send(String token, String body, String idempotencyKey) {
		return this.client.post().uri("/").headers(h -> {
			h.setBearerAuth(token);
			if (idempotencyKey != null) {
				h.add("Idempotency-Key", idempotencyKey);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	/** A submission's body at the demo MPP. */
	protected static String body(String standardId, String form) {
		return "{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + standardId + "\",\"form\":" + form + "}";
	}

	protected static String ktpForm(String nik) {
		return "{\"nik\":\"" + nik + "\",\"nama\":\"Siti Aminah\",\"telepon\":\"081234567890\"}";
	}

}
