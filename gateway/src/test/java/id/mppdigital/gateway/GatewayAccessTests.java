package id.mppdigital.gateway;

import java.util.Map;

import id.mppdigital.access.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway checks tokens before routing (services check them again), and limits each caller's
 * rate per route. Tokens come from a {@link TestIssuer} on loopback whose JWK set the gateway fetches
 * over HTTP; the end-to-end tests use the real identity server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				// small buckets on two routes: 3 at once, refilled by 1 every 300 ms
				"mpp.gateway.rate-limits.routes.queue-service.capacity=3",
				"mpp.gateway.rate-limits.routes.queue-service.refill=1",
				"mpp.gateway.rate-limits.routes.queue-service.period=1s",
				"mpp.gateway.rate-limits.routes.service-catalog.capacity=3",
				"mpp.gateway.rate-limits.routes.service-catalog.refill=1",
				"mpp.gateway.rate-limits.routes.service-catalog.period=300ms" })
@AutoConfigureWebTestClient
class GatewayAccessTests {

	static final FakeService service = new FakeService();

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void discovery(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		String instances = "spring.cloud.discovery.client.simple.instances.";
		registry.add(instances + "service-catalog[0].uri", service::uri);
		registry.add(instances + "application-service[0].uri", service::uri);
		registry.add(instances + "queue-service[0].uri", service::uri);
	}

	@Autowired
	WebTestClient client;

	@BeforeEach
	void forget() {
		service.received.clear();
	}

	@AfterAll
	static void stop() {
		service.close();
		issuer.close();
	}

	@Test
	void withoutATokenAProtectedRouteIs401AndTheServiceIsNotCalled() {
		this.client.get()
			.uri("/api/applications/mine")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mpp-digital\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://mppdigital.id/problems/unauthorized")
			.jsonPath("$.instance")
			.isEqualTo("/api/applications/mine")
			.jsonPath("$.requestId")
			.isNotEmpty();
		assertThat(service.received).isEmpty();
	}

	@Test
	void everyBadTokenIs401AtTheGatewayEvenOnAPublicRoute() {
		for (Map.Entry<String, String> bad : issuer.rejectedTokens().entrySet()) {
			for (String path : new String[] { "/api/applications/mine", "/api/catalog/mpps" }) {
				this.client.get()
					.uri(path)
					.headers(headers -> headers.setBearerAuth(bad.getValue()))
					.exchange()
					.expectStatus()
					.value(status -> assertThat(status).as(bad.getKey() + " on " + path).isEqualTo(401))
					.expectHeader()
					.value(HttpHeaders.WWW_AUTHENTICATE,
							challenge -> assertThat(challenge).as(bad.getKey()).contains("error=\"invalid_token\""));
			}
		}
		assertThat(service.received).isEmpty();
	}

	@Test
	void aValidTokenIsRoutedAndPassedOnForTheServiceToCheckAgain() {
		String token = issuer.citizen("c-valid");
		this.client.get()
			.uri("/api/applications/mine")
			.headers(headers -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(service.received).singleElement()
			.satisfies(received -> assertThat(received.headers().getFirst(HttpHeaders.AUTHORIZATION))
				.isEqualTo("Bearer " + token));
	}

	@Test
	void publicCatalogReadsNeedNoTokenButCatalogChangesDo() {
		this.client.get().uri("/api/catalog/mpps").exchange().expectStatus().isOk();
		this.client.post()
			.uri("/api/catalog/mpps")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"id\":\"kota-x\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(service.received).hasSize(1);
	}

	@Test
	void overTheBucketIs429WithRetryAfterPerCallerAndTheBucketRefills() throws InterruptedException {
		String siti = issuer.citizen("c-siti");
		for (int i = 0; i < 3; i++) {
			queue(siti).expectStatus().isOk().expectHeader().valueEquals("RateLimit-Remaining", Integer.toString(2 - i));
		}
		queue(siti).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://mppdigital.id/problems/rate-limited");
		assertThat(service.received).hasSize(3);
		// another caller has a bucket of their own
		queue(issuer.citizen("c-budi")).expectStatus().isOk();
		// and the first one's refills (one token a second: the four calls above fit well inside one,
		// even on a busy machine)
		Thread.sleep(1100);
		queue(siti).expectStatus().isOk();
	}

	@Test
	void anonymousCallersAreLimitedByAddressAndSignedInOnesByTheirOwnBucket() throws InterruptedException {
		int answered = 0;
		WebTestClient.ResponseSpec response;
		do {
			response = this.client.get().uri("/api/catalog/mpps").exchange();
			answered++;
		}
		while (response.returnResult(String.class).getStatus().value() == 200 && answered < 10);
		// the bucket holds 3, other tests may have taken some of this address's share
		assertThat(answered).isBetween(1, 4);
		response.expectStatus().isEqualTo(429).expectHeader().exists(HttpHeaders.RETRY_AFTER);
		this.client.get()
			.uri("/api/catalog/mpps")
			.headers(headers -> headers.setBearerAuth(issuer.citizen("c-signed-in")))
			.exchange()
			.expectStatus()
			.isOk();
		// leave a token in the address's bucket for the other tests
		Thread.sleep(400);
	}

	private WebTestClient.ResponseSpec queue(String token) {
		return this.client.get().uri("/api/queues/board").headers(headers -> headers.setBearerAuth(token)).exchange();
	}

}
