package id.mppdigital.gateway;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.mppdigital.access.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of real HTTP services on loopback, found through Spring Cloud's discovery
 * client API (the same API Eureka feeds in production).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"mpp.gateway.downstream-time-limit=1s", "mpp.gateway.retry-after=7s", "mpp.gateway.max-json-body=1KB",
				"mpp.gateway.max-body=4KB" })
@AutoConfigureWebTestClient
class GatewayRoutingTests {

	private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	static final FakeService service = new FakeService();

	static final String dead = FakeService.deadUri();

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void discovery(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		String instances = "spring.cloud.discovery.client.simple.instances.";
		registry.add(instances + "service-catalog[0].uri", service::uri);
		registry.add(instances + "queue-service[0].uri", service::uri);
		registry.add(instances + "notification-service[0].uri", () -> dead);
		// one dead and one live instance: idempotent calls must still succeed
		registry.add(instances + "application-service[0].uri", () -> dead);
		registry.add(instances + "application-service[1].uri", service::uri);
	}

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@BeforeEach
	void forget() {
		service.received.clear();
		// these tests are about routing, not access: a signed-in citizen calls every route
		this.client = this.client.mutate()
			.defaultHeaders(headers -> headers.setBearerAuth(issuer.citizen("c-routing")))
			.build();
	}

	@AfterAll
	static void stop() {
		service.close();
		issuer.close();
	}

	@Test
	void routesToTheDiscoveredServiceWithThePrefixStripped() {
		this.client.get().uri("/api/catalog/mpps?province=Bali").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.path").isEqualTo("/mpps?province=Bali");

		FakeService.Received received = service.received.get(0);
		assertThat(received.path()).isEqualTo("/mpps?province=Bali");
		assertThat(received.headers().getFirst("X-Forwarded-Prefix")).isEqualTo("/api/catalog");
	}

	@Test
	void generatesARequestIdPassesItDownstreamAndReturnsIt() {
		String returned = this.client.get().uri("/api/catalog/mpps").exchange()
			.expectStatus().isOk()
			.returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");

		assertThat(returned).matches(UUID);
		assertThat(service.received.get(0).headers().getFirst("X-Request-Id")).isEqualTo(returned);
	}

	@Test
	void keepsAWellFormedRequestIdAndReplacesAMalformedOne() {
		this.client.get().uri("/api/catalog/mpps").header("X-Request-Id", "app-7f3a-0001").exchange()
			.expectHeader().valueEquals("X-Request-Id", "app-7f3a-0001");
		assertThat(service.received.get(0).headers().getFirst("X-Request-Id")).isEqualTo("app-7f3a-0001");

		String replaced = this.client.get().uri("/api/catalog/mpps").header("X-Request-Id", "bad id\"; drop")
			.exchange().returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
		assertThat(replaced).matches(UUID);
		assertThat(service.received.get(1).headers().getFirst("X-Request-Id")).isEqualTo(replaced);
	}

	@Test
	void theRequestIdComesBackOnceAlsoWhenTheServiceReturnsIt() {
		// every platform service returns the id it was given, as the gateway does
		HttpHeaders headers = this.client.get().uri("/api/catalog/mpps?respond-X-Request-Id=app-7f3a-0003")
			.header("X-Request-Id", "app-7f3a-0003")
			.exchange()
			.expectStatus().isOk()
			.returnResult(String.class).getResponseHeaders();
		assertThat(headers.get("X-Request-Id")).containsExactly("app-7f3a-0003");
	}

	@Test
	void operatorsSeeTheLatencyOfEachRouteAsHistogramBuckets() {
		this.client.get().uri("/api/catalog/mpps").exchange().expectStatus().isOk();
		String metrics = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build()
			.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		// what Grafana's latency panel and the p99 alert ask histogram_quantile for
		assertThat(metrics.lines()
			.filter(line -> line.startsWith("spring_cloud_gateway_requests_seconds_bucket{")
					&& line.contains("routeId=\"service-catalog\"") && line.contains("le=\"30.0\""))
			.map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
			.isNotEmpty()
			.allMatch(count -> count >= 1);
	}

	@Test
	void displayBoardsAreOpenToAnyoneAndNotCutByTheTimeLimit() {
		WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		// quiet for longer than the time limit of a call: a stream stays open
		anonymous.get().uri("/api/queues/mpps/kota-probolinggo/board?delayMs=1500").exchange()
			.expectStatus().isOk();
		assertThat(service.received.get(0).path()).isEqualTo("/mpps/kota-probolinggo/board?delayMs=1500");
		anonymous.get().uri("/api/queues/tickets/q2c5Ww0bQm2dG4cQm7Jv3A/events?delayMs=1500").exchange()
			.expectStatus().isOk();
		// a call to the same service is cut, and the officers' operations need a token
		this.client.get().uri("/api/queues/mpps/kota-probolinggo/counters?delayMs=1500").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		anonymous.post().uri("/api/queues/mpps/kota-probolinggo/counters/1/call-next").exchange()
			.expectStatus().isUnauthorized();
	}

	@Test
	void aServiceThatIsDownGetsAPrompt503Problem() {
		long started = System.nanoTime();
		this.client.get().uri("/api/notifications/inbox").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals("Retry-After", "7")
			.expectHeader().exists("X-Request-Id")
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/service-unavailable")
			.jsonPath("$.status").isEqualTo(503)
			.jsonPath("$.detail").isEqualTo("notification-service is unavailable.")
			.jsonPath("$.instance").isEqualTo("/api/notifications/inbox")
			.jsonPath("$.trace").doesNotExist();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void aServiceTooSlowGets503WithinTheTimeLimit() {
		long started = System.nanoTime();
		this.client.get().uri("/api/queues/board?delayMs=5000").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().valueEquals("Retry-After", "7")
			.expectBody().jsonPath("$.detail").isEqualTo("queue-service did not answer within 1000 ms.");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void idempotentCallsSkipADeadInstanceButAPostIsNeverResent() {
		for (int i = 0; i < 6; i++) {
			this.client.get().uri("/api/applications/mine").exchange().expectStatus().isOk();
		}
		assertThat(service.received).hasSize(6);

		service.received.clear();
		int served = 0;
		for (int i = 0; i < 6; i++) {
			int status = this.client.post().uri("/api/applications").contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"service\":\"ktp\"}").exchange().returnResult(String.class).getStatus().value();
			assertThat(status).isIn(200, 503);
			served += (status == 200) ? 1 : 0;
		}
		// round robin over one dead and one live instance: POSTs that hit the dead one fail, none twice
		assertThat(served).isBetween(1, 5);
		assertThat(service.received).hasSize(served);
	}

	@Test
	void malformedJsonIsRefusedBeforeAnyServiceSeesIt() {
		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"MPP Kota Probolinggo\",").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/malformed-json");
		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"a\":1} {\"b\":2}").exchange()
			.expectStatus().isBadRequest();
		assertThat(service.received).isEmpty();

		// which mppId did the client mean? never "the last one wins"
		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"form\": {\"mppId\": \"a\", \"mppId\": \"b\"}}").exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("mppId")
			.jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("more than once"));
		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[".repeat(510) + "]".repeat(510)).exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("500 levels"));
		assertThat(service.received).isEmpty();

		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"MPP Kota Probolinggo\"}").exchange()
			.expectStatus().isOk();
		assertThat(service.received.get(0).body()).isEqualTo("{\"name\": \"MPP Kota Probolinggo\"}");
	}

	@Test
	void oversizedBodiesGet413Problems() {
		String json = "{\"note\":\"" + "x".repeat(2000) + "\"}";
		this.client.post().uri("/api/catalog/mpps").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/content-too-large");

		// an upload may be larger than JSON, up to its own limit
		this.client.post().uri("/api/catalog/documents").contentType(MediaType.APPLICATION_PDF)
			.bodyValue(new byte[3000]).exchange()
			.expectStatus().isOk();
		this.client.post().uri("/api/catalog/documents").contentType(MediaType.APPLICATION_PDF)
			.bodyValue(new byte[5000]).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(service.received).hasSize(1);
	}

	@Test
	void servicesOperationalEndpointsAreNotReachable() {
		for (String path : new String[] { "/api/catalog/actuator/health", "/api/catalog/actuator/env",
				"/api/catalog/%61ctuator/health", "/api/catalog/ACTUATOR/prometheus",
				"/api/catalog/actuator;x=1/health", "/api/catalog/mpps/../actuator/env", "/api/catalog/eureka/apps" }) {
			this.client.get().uri(java.net.URI.create("http://127.0.0.1:" + this.port + path)).exchange()
				.expectStatus().isNotFound()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		// the circuit breakers' fallback answers only the requests they forward to it
		for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/eureka/apps", "/",
				"/fallback/service-catalog", "/FALLBACK/x", "/fallback" }) {
			this.client.get().uri(path).exchange()
				.expectStatus().isNotFound()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		assertThat(service.received).isEmpty();
	}

	@Test
	void corsAllowsConfiguredAppOriginsOnly() {
		this.client.options().uri("/api/catalog/mpps").header("Origin", "http://localhost:3000")
			.header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "Content-Type")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("Access-Control-Allow-Origin", "http://localhost:3000");
		this.client.get().uri("/api/catalog/mpps").header("Origin", "https://evil.example").exchange()
			.expectStatus().isForbidden()
			.expectHeader().doesNotExist("Access-Control-Allow-Origin")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/forbidden")
			.jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("CORS"));
		this.client.options().uri("/api/catalog/mpps").header("Origin", "https://evil.example")
			.header("Access-Control-Request-Method", "POST").exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(service.received).isEmpty();
	}

}
