package id.mppdigital.queue;

import java.time.Clock;
import java.time.Instant;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.localstack.MongoWireStore;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
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
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}" })
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

}
