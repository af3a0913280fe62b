package id.mppdigital.defaults;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.localstack.KafkaBroker;
import id.mppdigital.localstack.MongoWireStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service built on the starter alone, with Kafka down: it starts, exposes exactly health, info and
 * prometheus, and a send to Kafka fails within seconds instead of blocking for the client's default
 * minute. The local profile's defaults apply, and a service's own setting wins over any default.
 */
@SpringBootTest(classes = ProbeService.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=probe-service", "eureka.client.enabled=false",
				"mpp.security.public-paths=GET /things/**,GET /broken",
				// a service's own value beats the shared default (20 s)
				"spring.lifecycle.timeout-per-shutdown-phase=7s" })
@ActiveProfiles("local")
class ServiceDefaultsTests {

	static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	/** A port where no broker listens. */
	static final int deadBroker = freePort();

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("probe"));
		registry.add("KAFKA_BOOTSTRAP_SERVERS", () -> "127.0.0.1:" + deadBroker);
	}

	@AfterAll
	static void stop() {
		mongo.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Test
	void exposesExactlyHealthInfoAndPrometheus() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		client.get().uri("/actuator/info").exchange().expectStatus().isOk();
		client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).value(body -> assertThat(body).contains("application=\"probe-service\""));
		client.get().uri("/actuator").exchange().expectStatus().value(status -> assertThat(status).isIn(401, 404));
		for (String hidden : new String[] { "env", "beans", "metrics", "configprops", "loggers", "heapdump", "threaddump",
				"mappings", "shutdown" }) {
			client.get().uri("/actuator/" + hidden).exchange().expectStatus()
				.value(status -> assertThat(status).as(hidden).isIn(401, 404));
		}
		// and the API document is where the gateway collects it
		client.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
	}

	@Test
	void theApiDocumentSaysWhoMayCallWhatItAnswersAndEveryProblem() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.info.title").isEqualTo("MPP Digital probe-service")
			.jsonPath("$.info.version").value(version -> assertThat(version).isNotEqualTo("v0"))
			.jsonPath("$.info.description").value(text -> assertThat((String) text).contains("problem"))
			.jsonPath("$.security").doesNotExist()
			// the caller is who the token says, never a parameter a client would send
			.jsonPath("$.paths['/things/{id}'].put.parameters[?(@.name == 'caller')]").isEmpty()
			.jsonPath("$.paths['/things'].get.parameters").doesNotExist()
			// secured, public, and public with the caller's own answer when signed in
			.jsonPath("$.paths['/things/{id}'].put.security[0].bearer").isArray()
			.jsonPath("$.paths['/things/{id}'].get.security").isEmpty()
			.jsonPath("$.paths['/things'].get.security.length()").isEqualTo(2)
			.jsonPath("$.paths['/things'].get.security[1].bearer").isArray()
			// what it answers: JSON, not */*
			.jsonPath("$.paths['/things/{id}'].put.responses['200'].content['application/json']").exists()
			.jsonPath("$.paths['/things/{id}'].put.responses['200'].content['*/*']").doesNotExist()
			// every problem it can give, as the shared problem document
			.jsonPath("$.paths['/things/{id}'].put.responses['400']['$ref']").isEqualTo("#/components/responses/BadRequest")
			.jsonPath("$.paths['/things/{id}'].put.responses['401']['$ref']").isEqualTo("#/components/responses/Unauthorized")
			.jsonPath("$.paths['/things/{id}'].put.responses['403']['$ref']").isEqualTo("#/components/responses/Forbidden")
			.jsonPath("$.paths['/things/{id}'].put.responses['404']['$ref']").isEqualTo("#/components/responses/NotFound")
			.jsonPath("$.paths['/things/{id}'].put.responses['413']['$ref']").exists()
			.jsonPath("$.paths['/things/{id}'].put.responses['422']['$ref']").exists()
			.jsonPath("$.paths['/things/{id}'].put.responses['429']['$ref']").exists()
			.jsonPath("$.paths['/things/{id}'].put.responses['503']['$ref']").exists()
			.jsonPath("$.paths['/things/{id}'].put.responses['409'].description").isEqualTo("Renamed by someone else at the same time")
			.jsonPath("$.paths['/things/{id}'].put.responses['409'].content['application/problem+json'].schema['$ref']")
			.isEqualTo("#/components/schemas/Problem")
			// a public read needs no token, so it is never 401 or 403
			.jsonPath("$.paths['/things/{id}'].get.responses['401']").doesNotExist()
			.jsonPath("$.paths['/things/{id}'].get.responses['404']").exists()
			.jsonPath("$.components.schemas.Problem.properties.requestId").exists()
			.jsonPath("$.components.schemas.Problem.properties.errors.items.properties.field").exists()
			.jsonPath("$.components.responses.TooManyRequests.headers['Retry-After']").exists()
			.jsonPath("$.components.responses.NotFound.content['application/problem+json'].example.requestId").exists();
	}

	@Test
	void aSendWhileKafkaIsDownFailsWithinSeconds() {
		long started = System.nanoTime();
		assertThatThrownBy(() -> this.kafka.send("mpp.test.never-sent.v1", "k", "{}").get(30, TimeUnit.SECONDS))
			// thrown at once (no metadata within max.block.ms) or through the future
			.isInstanceOfAny(KafkaException.class, ExecutionException.class);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// the Kafka client's own default would block for 60 s
		assertThat(took).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void theLocalProfileBindsToLoopbackAndRenewsTheLeaseOftenAndTheServicesOwnSettingsWin() {
		assertThat(this.environment.getProperty("server.address")).isEqualTo("127.0.0.1");
		assertThat(this.environment.getProperty("eureka.instance.lease-renewal-interval-in-seconds")).isEqualTo("1");
		assertThat(this.environment.getProperty("management.endpoints.web.exposure.include"))
			.isEqualTo("health,info,prometheus");
		assertThat(this.environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("7s");
		assertThat(this.environment.getProperty("spring.kafka.client-id")).isEqualTo("probe-service");
	}

	@Test
	void everyProblemDocumentCarriesTheRequestIdAndThePathAsked() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		// from a controller (404), request validation (400), the security chain (401), a bug (500)
		problem(client, "/things/kota-probolinggo", null, 404, "not-found");
		problem(client, "/things/Not_A_Slug", null, 400, "invalid-request");
		problem(client, "/private", null, 401, "unauthorized");
		// a URL the security firewall refuses
		problem(client, "/things/a%20b", null, 400, "invalid-request");
		problem(client, "/broken", null, 500, "internal-server-error")
			.jsonPath("$.detail").value(detail -> assertThat(detail.toString()).doesNotContain("internals"));
		// the caller's (the gateway's) id is kept; a malformed one is replaced
		problem(client, "/things/kota-probolinggo", "gateway-req-0001", 404, "not-found")
			.jsonPath("$.requestId").isEqualTo("gateway-req-0001");
		problem(client, "/things/kota-probolinggo", "bad id; with spaces", 404, "not-found")
			.jsonPath("$.requestId").value(id -> assertThat(id.toString()).doesNotContain("bad"));
	}

	private static WebTestClient.BodyContentSpec problem(WebTestClient client, String path, String requestId, int status,
			String kind) {
		WebTestClient.ResponseSpec response = client.get().uri(path)
			.headers(headers -> {
				if (requestId != null) {
					headers.set("X-Request-Id", requestId);
				}
			})
			.exchange()
			.expectStatus().isEqualTo(status)
			.expectHeader().contentType("application/problem+json");
		String[] echoed = new String[1];
		response.expectHeader().value("X-Request-Id", id -> echoed[0] = id);
		return response.expectBody()
			.jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/" + kind)
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.instance").value(instance -> assertThat(instance.toString()).startsWith(path.split("%")[0]))
			.jsonPath("$.requestId").value(id -> assertThat(id).isEqualTo(echoed[0]));
	}

	@Test
	void itsTopicsAreDeclaredOnceTheBrokerComesUpLate(@TempDir Path dir) throws Exception {
		// the service started while no broker listened; now one comes up where it looks
		try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), deadBroker, freePort(), dir.resolve("logs"));
				Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			Set<String> topics = Set.of();
			while (!topics.containsAll(Set.of(ProbeService.TOPIC, ProbeService.TOPIC + ".DLT"))
					&& System.nanoTime() < deadline) {
				Thread.sleep(500);
				try {
					topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
				}
				catch (java.util.concurrent.TimeoutException starting) {
					// the broker's JVM is still starting (on a busy machine it takes a while): ask again
				}
			}
			// its own topic (a NewTopic bean) and the dead-letter topic of what it consumes
			assertThat(topics).contains(ProbeService.TOPIC, ProbeService.TOPIC + ".DLT");
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
