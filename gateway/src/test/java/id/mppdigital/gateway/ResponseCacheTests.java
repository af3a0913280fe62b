package id.mppdigital.gateway;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;

import id.mppdigital.access.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's shared cache for public reads, against a real HTTP service on loopback that answers
 * with whatever caching headers a test asks for: what is kept, for whom, for how long, and what never
 * is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0",
				"mpp.gateway.response-cache.max-age=2s", "mpp.gateway.response-cache.max-entry-size=1KB",
				"mpp.gateway.downstream-time-limit=1s" })
@AutoConfigureWebTestClient
class ResponseCacheTests {

	static final FakeService service = new FakeService();

	static final TestIssuer issuer = new TestIssuer();

	private static final AtomicInteger paths = new AtomicInteger();

	@DynamicPropertySource
	static void discovery(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri", service::uri);
	}

	@Autowired
	WebTestClient client;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	@BeforeEach
	void forget() {
		service.received.clear();
	}

	@AfterAll
	static void stop() {
		service.close();
		issuer.close();
	}

	/** A catalog path of its own (nothing kept yet) whose answer carries these headers. */
	private URI path(String... headers) {
		StringBuilder uri = new StringBuilder("http://127.0.0.1:" + this.port + "/api/catalog/mpps/p"
				+ paths.incrementAndGet() + "?x=1");
		for (int i = 0; i < headers.length; i += 2) {
			uri.append("&respond-").append(headers[i]).append('=')
				.append(URLEncoder.encode(headers[i + 1], StandardCharsets.UTF_8));
		}
		return URI.create(uri.toString());
	}

	private EntityExchangeResult<String> get(URI uri, String... requestHeaders) {
		return this.client.get().uri(uri).headers(headers -> {
			for (int i = 0; i < requestHeaders.length; i += 2) {
				headers.add(requestHeaders[i], requestHeaders[i + 1]);
			}
		}).exchange().expectBody(String.class).returnResult();
	}

	private double counted(String result) {
		return this.meters.counter("mpp.gateway.response.cache", "route", "service-catalog", "result", result).count();
	}

	@Test
	void aRepeatedAnonymousReadIsAnsweredFromTheGatewaysMemory() {
		double hits = counted("hit");
		double misses = counted("miss");
		URI uri = path("Cache-Control", "public, max-age=60");
		EntityExchangeResult<String> first = get(uri);
		EntityExchangeResult<String> second = get(uri);

		assertThat(first.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(first.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=miss; stored");
		assertThat(second.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
		assertThat(second.getResponseHeaders().getFirst("Cache-Status")).startsWith("mpp-gateway; hit; ttl=");
		assertThat(second.getResponseHeaders().getFirst(HttpHeaders.AGE)).isIn("0", "1");
		assertThat(second.getResponseHeaders().getContentType()).hasToString("application/json");
		assertThat(second.getResponseHeaders().getCacheControl()).isEqualTo("public, max-age=60");
		// what belongs to the request is not repeated from the kept answer
		assertThat(second.getResponseHeaders().getFirst("X-Request-Id")).isNotNull()
			.isNotEqualTo(first.getResponseHeaders().getFirst("X-Request-Id"));
		assertThat(service.received).hasSize(1);
		// operators see it: mpp_gateway_response_cache_total{route, result}
		assertThat(counted("hit")).isEqualTo(hits + 1);
		assertThat(counted("miss")).isEqualTo(misses + 1);
	}

	@Test
	void aClientHoldingTheETagGets304WithoutTheServiceBeingCalled() {
		URI uri = path("Cache-Control", "public, max-age=60", "ETag", "\"v1\"");
		get(uri);
		EntityExchangeResult<String> revalidated = get(uri, HttpHeaders.IF_NONE_MATCH, "\"v0\", \"v1\"");
		EntityExchangeResult<String> stale = get(uri, HttpHeaders.IF_NONE_MATCH, "\"v0\"");

		assertThat(revalidated.getStatus()).isEqualTo(HttpStatus.NOT_MODIFIED);
		assertThat(revalidated.getResponseBody()).isNull();
		assertThat(revalidated.getResponseHeaders().getETag()).isEqualTo("\"v1\"");
		assertThat(stale.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(stale.getResponseBody()).contains("\"answer\"");
		assertThat(service.received).hasSize(1);
	}

	@Test
	void signedInCallersAlwaysReachTheService() {
		URI uri = path("Cache-Control", "public, max-age=60");
		get(uri);
		EntityExchangeResult<String> signedIn = get(uri, HttpHeaders.AUTHORIZATION,
				"Bearer " + issuer.citizen("c-cache"));
		EntityExchangeResult<String> withCookie = get(uri, HttpHeaders.COOKIE, "session=abc");

		assertThat(signedIn.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=bypass");
		assertThat(withCookie.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=bypass");
		assertThat(service.received).hasSize(3);
		// and what they were given is not kept for the next anonymous caller
		URI privateUri = path("Cache-Control", "public, max-age=60");
		get(privateUri, HttpHeaders.AUTHORIZATION, "Bearer " + issuer.citizen("c-cache"));
		assertThat(get(privateUri).getResponseHeaders().getFirst("Cache-Status")).endsWith("fwd=miss; stored");
	}

	@Test
	void answersThatMayNotBeSharedAreNeverKept() {
		// the last two are CVE-2026-59427's cases: several directives in one header value
		for (String cacheControl : List.of("private", "no-store", "no-cache", "max-age=0", "",
				"no-cache, no-store, max-age=0, must-revalidate", "private, max-age=60")) {
			service.received.clear();
			URI uri = cacheControl.isEmpty() ? path() : path("Cache-Control", cacheControl);
			String first = get(uri).getResponseBody();
			EntityExchangeResult<String> second = get(uri);

			assertThat(second.getResponseBody()).as(cacheControl).isNotEqualTo(first);
			assertThat(second.getResponseHeaders().getFirst("Cache-Status")).as(cacheControl)
				.isEqualTo("mpp-gateway; fwd=miss");
			assertThat(service.received).as(cacheControl).hasSize(2);
		}
		for (String[] headers : new String[][] { { "Set-Cookie", "session=abc" }, { "Vary", "X-Tenant" },
				{ "Vary", "*" } }) {
			service.received.clear();
			URI uri = path("Cache-Control", "public, max-age=60", headers[0], headers[1]);
			get(uri);
			get(uri);
			assertThat(service.received).as(headers[0] + ": " + headers[1]).hasSize(2);
		}
	}

	@Test
	void aClientsForwardingHeadersNeitherReachTheServiceNorPoisonWhatOthersGet() {
		URI uri = path("Cache-Control", "public, max-age=60");
		EntityExchangeResult<String> poisoned = get(uri, "X-Forwarded-Prefix", "/evil", "X-Forwarded-Host",
				"evil.example", "X-Forwarded-Proto", "https", "Forwarded", "host=evil.example;proto=https");

		FakeService.Received reached = service.received.get(0);
		assertThat(reached.headers().get("X-Forwarded-Prefix")).containsExactly("/api/catalog");
		assertThat(reached.headers().get("X-Forwarded-Host")).containsExactly("127.0.0.1:" + this.port);
		assertThat(reached.headers().get("X-Forwarded-Proto")).containsExactly("http");
		// the gateway's own Forwarded (RFC 7239) only
		assertThat(reached.headers().get("Forwarded")).singleElement().asString().doesNotContain("evil");

		// the answer kept is the one anybody gets: served again, from memory, to a plain client
		EntityExchangeResult<String> plain = get(uri);
		assertThat(plain.getResponseHeaders().getFirst("Cache-Status")).startsWith("mpp-gateway; hit");
		assertThat(plain.getResponseBody()).isEqualTo(poisoned.getResponseBody());
	}

	@Test
	void anAnswerFetchedUnderAnotherHostNameIsNotServedForThisOne() {
		URI uri = path("Cache-Control", "public, max-age=60");
		EntityExchangeResult<String> other = get(uri, "Host", "evil.example");
		assertThat(service.received.get(0).headers().get("X-Forwarded-Host")).containsExactly("evil.example");

		EntityExchangeResult<String> plain = get(uri);
		assertThat(plain.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=miss; stored");
		assertThat(plain.getResponseBody()).isNotEqualTo(other.getResponseBody());
		assertThat(service.received.get(1).headers().get("X-Forwarded-Host")).containsExactly("127.0.0.1:" + this.port);
	}

	@Test
	void answersInDifferentLanguagesAreKeptApart() {
		URI uri = path("Cache-Control", "public, max-age=60", "Vary", "Accept, Accept-Language");
		String english = get(uri, HttpHeaders.ACCEPT_LANGUAGE, "en").getResponseBody();
		String indonesian = get(uri, HttpHeaders.ACCEPT_LANGUAGE, "id").getResponseBody();
		String englishAgain = get(uri, HttpHeaders.ACCEPT_LANGUAGE, "en").getResponseBody();

		assertThat(english).contains("\"language\":\"en\"");
		assertThat(indonesian).contains("\"language\":\"id\"");
		assertThat(englishAgain).isEqualTo(english);
		assertThat(service.received).hasSize(2);
	}

	@Test
	void aClientAskingNoCacheReachesTheServiceAndRefreshesTheKeptAnswer() {
		URI uri = path("Cache-Control", "public, max-age=60");
		String first = get(uri).getResponseBody();
		EntityExchangeResult<String> fresh = get(uri, HttpHeaders.CACHE_CONTROL, "no-cache");
		String after = get(uri).getResponseBody();

		assertThat(fresh.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(fresh.getResponseBody()).isNotEqualTo(first);
		assertThat(fresh.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=request; stored");
		assertThat(after).isEqualTo(fresh.getResponseBody());
		assertThat(service.received).hasSize(2);
	}

	@Test
	void keptNoLongerThanTheServiceOrTheConfigurationAllows() throws InterruptedException {
		URI shortLived = path("Cache-Control", "public, max-age=60, s-maxage=1");
		URI longLived = path("Cache-Control", "public, max-age=3600");
		String shortFirst = get(shortLived).getResponseBody();
		String longFirst = get(longLived).getResponseBody();
		assertThat(get(shortLived).getResponseBody()).isEqualTo(shortFirst);

		Thread.sleep(1200);
		assertThat(get(shortLived).getResponseBody()).isNotEqualTo(shortFirst);
		assertThat(get(longLived).getResponseBody()).isEqualTo(longFirst);
		Thread.sleep(1000);
		// mpp.gateway.response-cache.max-age=2s caps the service's hour
		assertThat(get(longLived).getResponseBody()).isNotEqualTo(longFirst);
	}

	@Test
	void anExpiredCopyStandsInWhileTheServiceFailsIfTheServiceAllowedIt() throws InterruptedException {
		URI allowed = path("Cache-Control", "public, max-age=1, stale-if-error=60");
		URI notAllowed = path("Cache-Control", "public, max-age=1");
		String kept = get(allowed).getResponseBody();
		get(notAllowed);
		Thread.sleep(1100);
		try {
			service.failWith = 500;
			EntityExchangeResult<String> failed = get(allowed);
			assertThat(failed.getStatus()).isEqualTo(HttpStatus.OK);
			assertThat(failed.getResponseBody()).isEqualTo(kept);
			assertThat(failed.getResponseHeaders().getContentType()).hasToString("application/json");
			assertThat(failed.getResponseHeaders().getFirst("Cache-Status"))
				.isEqualTo("mpp-gateway; fwd=stale; fwd-status=500");
			assertThat(Integer.parseInt(failed.getResponseHeaders().getFirst(HttpHeaders.AGE))).isPositive();
			assertThat(get(notAllowed).getStatus()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);

			// a service that does not answer at all: the gateway's own 503 is replaced the same way
			service.failWith = 0;
			service.hangMs = 3000;
			EntityExchangeResult<String> hanging = get(allowed);
			assertThat(hanging.getStatus()).isEqualTo(HttpStatus.OK);
			assertThat(hanging.getResponseBody()).isEqualTo(kept);
			assertThat(hanging.getResponseHeaders().getFirst("Cache-Status"))
				.isEqualTo("mpp-gateway; fwd=stale; fwd-status=503");
		}
		finally {
			service.failWith = 0;
			service.hangMs = 0;
		}
		// back up: the service's new answer replaces the copy
		EntityExchangeResult<String> recovered = get(allowed);
		assertThat(recovered.getResponseBody()).isNotEqualTo(kept);
		assertThat(recovered.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("mpp-gateway; fwd=stale; stored");
	}

	@Test
	void largeAnswersPassThroughWithoutBeingKept() {
		URI uri = path("Cache-Control", "public, max-age=60", "X-Padding", "x".repeat(10));
		URI large = URI.create(uri + "&pad=" + "y".repeat(1200));
		String first = get(large).getResponseBody();

		assertThat(first).hasSizeGreaterThan(1024);
		assertThat(get(large).getResponseBody()).isNotEqualTo(first);
		assertThat(service.received).hasSize(2);
	}

}
