package id.mppdigital.access;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * While the identity provider cannot be reached, a request with a token is the platform's problem,
 * not the client's: 503 with Retry-After, not 401 (the token was never judged) nor 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = AccessControlTests.Application.class,
		// nothing listens on port 1 of the loopback
		properties = { "mpp.security.issuer-uri=http://127.0.0.1:1", "spring.webflux.problemdetails.enabled=true" })
@AutoConfigureWebTestClient
class UnreachableIssuerTests {

	static final TestIssuer issuer = new TestIssuer();

	@AfterAll
	static void stop() {
		issuer.close();
	}

	@Autowired
	WebTestClient client;

	@Test
	void aTokenThatCannotBeCheckedIs503WithRetryAfter() {
		this.client.get()
			.uri("/me")
			.headers(headers -> headers.setBearerAuth(issuer.citizen("c-1")))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "10")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://mppdigital.id/problems/identity-unavailable");
		// without a token nothing needs checking: still 401
		this.client.get().uri("/me").exchange().expectStatus().isUnauthorized();
	}

}
