package id.mppdigital.access;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every module inherits, on a small WebFlux application validating tokens from a
 * {@link TestIssuer} over HTTP, as a service does with the real issuer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = AccessControlTests.Application.class, properties = { "mpp.security.public-paths=GET /open/**", "spring.webflux.problemdetails.enabled=true" })
@AutoConfigureWebTestClient
class AccessControlTests {

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
	}

	@AfterAll
	static void stop() {
		issuer.close();
	}

	@Autowired
	WebTestClient client;

	@Test
	void aMissingTokenIs401WithABearerChallengeAndAProblem() {
		this.client.get()
			.uri("/me")
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
			.jsonPath("$.status")
			.isEqualTo(401);
	}

	@Test
	void everyBadTokenIs401InvalidToken() {
		for (Map.Entry<String, String> bad : issuer.rejectedTokens().entrySet()) {
			this.client.get()
				.uri("/me")
				.headers(headers -> headers.setBearerAuth(bad.getValue()))
				.exchange()
				.expectStatus()
				.value(status -> assertThat(status).as(bad.getKey()).isEqualTo(401))
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						challenge -> assertThat(challenge).as(bad.getKey()).contains("error=\"invalid_token\""))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void aValidTokenReachesTheHandlerWithTheCallerFromItsClaims() {
		this.client.get()
			.uri("/me")
			.headers(headers -> headers.setBearerAuth(issuer.officer("s-officer", "kota-probolinggo", "dukcapil")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subject")
			.isEqualTo("s-officer")
			.jsonPath("$.roles[0]")
			.isEqualTo("officer")
			.jsonPath("$.mpp")
			.isEqualTo("kota-probolinggo")
			.jsonPath("$.agency")
			.isEqualTo("dukcapil");
	}

	@Test
	void aPublicPathNeedsNoTokenAndOthersStillDo() {
		this.client.get().uri("/open/hours").exchange().expectStatus().isOk();
		this.client.post().uri("/open/hours").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aMissingRoleIs403Problem() {
		this.client.get()
			.uri("/platform")
			.headers(headers -> headers.setBearerAuth(issuer.citizen("c-1")))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://mppdigital.id/problems/forbidden");
		this.client.get()
			.uri("/platform")
			.headers(headers -> headers.setBearerAuth(issuer.platformAdmin("s-admin")))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void anMppAdministratorActsForTheirMppOnly() {
		String adminOfP = issuer.mppAdmin("s-p", "kota-probolinggo");
		this.client.get()
			.uri("/mpps/kota-probolinggo/settings")
			.headers(headers -> headers.setBearerAuth(adminOfP))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/mpps/kota-surabaya/settings")
			.headers(headers -> headers.setBearerAuth(adminOfP))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.get()
			.uri("/mpps/kota-surabaya/settings")
			.headers(headers -> headers.setBearerAuth(issuer.platformAdmin("s-admin")))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@SpringBootApplication
	static class Application {

		@RestController
		static class Endpoints {

			@GetMapping("/me")
			Caller me(Caller caller) {
				return caller;
			}

			@GetMapping("/open/hours")
			Mono<String> hours() {
				return Mono.just("08:00-15:00");
			}

			@GetMapping("/platform")
			String platform(Caller caller) {
				caller.requireAnyRole(Caller.PLATFORM_ADMIN);
				return "ok";
			}

			@GetMapping("/mpps/{mpp}/settings")
			String settings(@PathVariable String mpp, Caller caller) {
				caller.requireMpp(mpp);
				return "ok";
			}

		}

	}

}
