package id.mppdigital.catalog;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.localstack.MongoWireStore;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The catalog over HTTP as clients reach it, on the embedded MongoDB-wire store with the demo data
 * of the local profile and a real (embedded) Kafka broker, validating tokens from a {@link TestIssuer}. One application context for
 * every subclass (so the store and the issuer live as long as the JVM and are not closed per class).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.catalog.event-retry-interval=500ms",
				// no periodic index refresh during tests: what the tests see comes from events and changes
				"mpp.catalog.search-refresh=1h" })
@AutoConfigureWebTestClient
@ActiveProfiles("local")
@EmbeddedKafka(partitions = 1)
public abstract class CatalogWebTests {

	protected static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	protected static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-catalog"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
	}

	@Autowired
	protected WebTestClient client;

}
