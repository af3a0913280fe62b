package id.mppdigital.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.localstack.MongoWireStore;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * queue-service over HTTP as kiosks, citizens' apps and officers' consoles reach it, on the embedded
 * MongoDB-wire store and a real (embedded) Kafka broker, validating tokens from a {@link TestIssuer},
 * with the catalog served by a {@link CatalogStub}. One context for every subclass; each test uses
 * its own MPP day or its own MPP so that tests do not see each other's tickets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.queue.board-heartbeat=1s", "mpp.queue.ticket-stream-interval=100ms" })
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
public abstract class QueueWebTests {

	protected static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	protected static final TestIssuer issuer = new TestIssuer();

	protected static final CatalogStub catalog = new CatalogStub();

	/** Monday 7 December 2026, 09:00 in Probolinggo (WIB), 10:00 in Makassar (WITA), 11:00 in Jayapura (WIT). */
	protected static final Instant MONDAY_9_WIB = Instant.parse("2026-12-07T02:00:00Z");

	protected static final TestClock time = new TestClock(MONDAY_9_WIB);

	protected static final String MPP = "kota-probolinggo";

	protected static final String KTP = "ktp-el-baru";

	@TestBean
	protected Clock clock;

	static Clock clock() {
		return time;
	}

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-queue"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri", catalog::uri);
	}

	@Autowired
	protected WebTestClient client;

	@BeforeEach
	void catalogUp() {
		catalog.down = false;
		time.set(MONDAY_9_WIB);
	}

	@Autowired
	protected ReactiveMongoTemplate store;

	/** Every test starts with no tickets, bookings, open counters or service times. */
	@BeforeEach
	void emptyQueues() {
		Flux.just("tickets", "ticket_keys", "lines", "desks", "counts", "service_times", "bookings")
			.flatMap(collection -> this.store.remove(new Query(), collection))
			.blockLast(Duration.ofSeconds(10));
	}

	protected WebTestClient.ResponseSpec take(String mpp, String standardId, String token, String priority) {
		return this.client.post().uri("/mpps/{mpp}/tickets", mpp).headers(h -> {
			if (token != null) {
				h.setBearerAuth(token);
			}
		}).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(priority == null ? Map.of("standardId", standardId) : Map.of("standardId", standardId, "priority", priority))
			.exchange();
	}

	@SuppressWarnings("unchecked")
	protected Map<String, Object> ticket(String mpp, String standardId) {
		return take(mpp, standardId, null, null).expectStatus().isCreated().expectBody(Map.class).returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	protected Map<String, Object> read(Object id) {
		return this.client.get().uri("/tickets/{id}", id).exchange().expectStatus().isOk().expectBody(Map.class)
			.returnResult().getResponseBody();
	}

	@SuppressWarnings("unchecked")
	protected Map<String, Object> estimate(Object id) {
		return (Map<String, Object>) read(id).get("estimate");
	}

	protected WebTestClient.ResponseSpec desk(String token, String mpp, int counter, String operation) {
		return this.client.post().uri("/mpps/{mpp}/counters/{n}/{op}", mpp, counter, operation)
			.headers(h -> h.setBearerAuth(token)).exchange();
	}

	@SuppressWarnings("unchecked")
	protected Map<String, Object> called(String token, String mpp, int counter) {
		return desk(token, mpp, counter, "call-next").expectStatus().isOk().expectBody(Map.class).returnResult()
			.getResponseBody();
	}

	protected static String dukcapil(String subject) {
		return issuer.officer(subject, MPP, "dukcapil");
	}

}
