package id.mppdigital.gateway;

import java.time.Duration;
import java.util.List;

import id.mppdigital.access.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each route caps the requests in flight to its service. Going over the cap is answered at once
 * with a 503 problem, and is not held against the service: its circuit breaker stays closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"mpp.gateway.max-concurrent-calls-per-route=4", "mpp.gateway.circuit-breaker.sliding-window-size=4",
				"mpp.gateway.circuit-breaker.minimum-number-of-calls=4" })
class RouteBulkheadTests {

	static final FakeService service = new FakeService();

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void discovery(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri", service::uri);
	}

	@AfterAll
	static void stop() {
		service.close();
		issuer.close();
	}

	@LocalServerPort
	int port;

	@Test
	void requestsOverTheCapGet503AtOnceAndTheBreakerStaysClosed() {
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<String> outcomes = Flux.range(0, 12)
			.flatMap(i -> client.get().uri("/api/catalog/mpps?delayMs=700").exchangeToMono(response -> response
				.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(body -> response.statusCode().value() + (body.contains("at capacity") ? " at capacity" : ""))),
					12)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(outcomes).filteredOn("200"::equals).hasSize(4);
		assertThat(outcomes).filteredOn("503 at capacity"::equals).hasSize(8);
		assertThat(service.received).hasSize(4);

		// eight rejections in a window of four would open the breaker if they counted as failures
		for (int i = 0; i < 4; i++) {
			assertThat(client.get().uri("/api/catalog/mpps").exchangeToMono(r -> Mono.just(r.statusCode().value()))
				.block(Duration.ofSeconds(5))).isEqualTo(200);
		}
	}

}
