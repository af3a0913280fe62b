package id.mppdigital.identity;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real authorization server with the demo accounts and clients of the local profile: what its
 * tokens say about each kind of caller, and that they verify against its published keys.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0" })
@ActiveProfiles("local")
class IdentityServerTests {

	static final int PORT = freePort();

	static final String ISSUER = "http://127.0.0.1:" + PORT;

	final IdentityClient identity = new IdentityClient(ISSUER);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		registry.add("server.port", () -> PORT);
		registry.add("spring.security.oauth2.authorizationserver.issuer", () -> ISSUER);
		registry.add("mpp.identity.keys.dir", Files.createTempDirectory("identity-keys")::toString);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(URI.create(ISSUER + path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	/** Parses the token and checks its signature against the published JWK set. */
	static JWTClaimsSet verified(String token) throws Exception {
		SignedJWT jwt = SignedJWT.parse(token);
		JWKSet keys = JWKSet.parse(get("/oauth2/jwks"));
		assertThat(jwt.getHeader().getKeyID()).isNotNull();
		assertThat(jwt.verify(new RSASSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey()))).isTrue();
		return jwt.getJWTClaimsSet();
	}

	@Test
	void publishesItsDiscoveryDocumentAndOnlyPublicKeys() throws Exception {
		assertThat(get("/.well-known/openid-configuration")).contains("\"issuer\":\"" + ISSUER + "\"")
			.contains("\"jwks_uri\":\"" + ISSUER + "/oauth2/jwks\"");
		JWKSet keys = JWKSet.parse(get("/oauth2/jwks"));
		assertThat(keys.getKeys()).hasSize(1);
		assertThat(keys.getKeys().get(0).isPrivate()).isFalse();
	}

	@Test
	void theSignInPortHasNoActuator() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/info", "/actuator")) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ISSUER + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isIn(401, 404);
			assertThat(response.body()).as(path).doesNotContain("jvm_", "\"UP\"");
		}
	}

	@Test
	void guessingAClientSecretIsThrottledLikeAPassword() {
		for (int attempt = 0; attempt < 5; attempt++) {
			assertThat(this.identity.tokenResponse("agency-polri", "guess-" + attempt).statusCode()).isEqualTo(401);
		}
		HttpResponse<String> locked = this.identity.tokenResponse("agency-polri", "demo-polri-secret");
		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.headers().firstValue("Retry-After")).isPresent();
		assertThat(locked.body()).contains("invalid_client");
		// other clients are not locked out by it
		assertThat(this.identity.tokenResponse("mpp-operator", "demo-operator-secret").statusCode()).isEqualTo(200);
	}

	@Test
	void noClientLearnsWhatAnotherCallersTokenSays() throws Exception {
		String citizens = this.identity.signIn("siti", "mpp-demo").orElseThrow();
		HttpResponse<String> answer = this.identity.introspect("agency-dukcapil", "demo-dukcapil-secret", citizens);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("\"active\":false").doesNotContain("citizen", "c-5f1d7a9e");
	}

	@Test
	void theWebClientsCodeGoesOnlyToItsRegisteredRedirectUri() {
		IdentityClient.Session browser = this.identity.session("officer.dukcapil.probolinggo", "mpp-demo").orElseThrow();
		for (String other : List.of("http://127.0.0.1:3001/callback", "http://127.0.0.1/callback",
				"http://127.0.0.1:80/callback", "http://localhost:3000/callback", "http://127.0.0.1:3000/callback/../x")) {
			HttpResponse<String> answer = browser.authorizeFor(other);
			assertThat(answer.statusCode()).as(other).isEqualTo(400);
			assertThat(answer.headers().firstValue("Location")).as(other).isEmpty();
		}
		assertThat(browser.authorizeFor(IdentityClient.WEB_REDIRECT).headers().firstValue("Location"))
			.hasValueSatisfying(location -> assertThat(location).startsWith(IdentityClient.WEB_REDIRECT + "?code="));
	}

	@Test
	void apiClientsWithoutATokenGet401AndBrowsersTheSignInForm() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/userinfo"))
			.header("Accept", "application/json, */*;q=0.5")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(api.statusCode()).isEqualTo(401);
		HttpResponse<String> browser = http.send(
				HttpRequest.newBuilder(URI.create(ISSUER + "/userinfo")).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(browser.statusCode()).isEqualTo(302);
		assertThat(browser.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
	}

	@Test
	void anAgencySystemGetsATokenBoundToItsAgency() throws Exception {
		JWTClaimsSet claims = verified(this.identity.clientCredentials("agency-dukcapil", "demo-dukcapil-secret"));
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
		assertThat(claims.getSubject()).isEqualTo("agency-dukcapil");
		assertThat(claims.getAudience()).containsExactly("mpp-api");
		assertThat(claims.getStringListClaim("roles")).containsExactly("agency_system");
		assertThat(claims.getStringClaim("agency")).isEqualTo("dukcapil");
		assertThat(claims.getExpirationTime()).isNotNull();
		assertThatThrownBy(() -> this.identity.clientCredentials("agency-dukcapil", "guessed"))
			.hasMessageContaining("401");
	}

	@Test
	void aCitizenSignsInWithPkceAndIsKnownByAnOpaqueSubject() throws Exception {
		String token = this.identity.signIn("siti", "mpp-demo").orElseThrow();
		JWTClaimsSet claims = verified(token);
		assertThat(claims.getSubject()).isEqualTo("c-5f1d7a9e-2b64-4c1e-9a57-0d3e8b6c4f21");
		assertThat(claims.getStringListClaim("roles")).containsExactly("citizen");
		assertThat(claims.getAudience()).containsExactly("mpp-api");
		assertThat(claims.getClaim("mpp")).isNull();
		assertThat(claims.toString()).doesNotContain("siti");
	}

	@Test
	void appsRenewTokensSilentlyWhileSignedInAndGetNoRefreshTokens() throws Exception {
		IdentityClient.Session session = this.identity.session("budi", "mpp-demo").orElseThrow();
		// public clients get no refresh token (Spring Authorization Server): nothing long-lived sits in an app
		assertThat(session.tokenResponse()).contains("\"access_token\"").doesNotContain("refresh_token");

		String renewed = session.renewSilently().orElseThrow();
		assertThat(renewed).isNotEqualTo(session.accessToken());
		assertThat(verified(renewed).getSubject()).isEqualTo(verified(session.accessToken()).getSubject());
	}

	@Test
	void anOfficerTokenCarriesTheirMppAndAgency() throws Exception {
		JWTClaimsSet claims = verified(this.identity.signIn("officer.dukcapil.probolinggo", "mpp-demo").orElseThrow());
		assertThat(claims.getStringListClaim("roles")).isEqualTo(List.of("officer"));
		assertThat(claims.getStringClaim("mpp")).isEqualTo("kota-probolinggo");
		assertThat(claims.getStringClaim("agency")).isEqualTo("dukcapil");
	}

	@Test
	void passwordGuessingLocksTheAccountWhileOthersSignInAsUsual() {
		for (int attempt = 0; attempt < 5; attempt++) {
			assertThat(this.identity.signIn("budi", "guess-" + attempt)).isEmpty();
		}
		// the right password no longer helps, for now
		assertThat(this.identity.signIn("budi", "mpp-demo")).isEmpty();
		assertThat(this.identity.signIn("BUDI", "mpp-demo")).isEmpty();
		assertThat(this.identity.signIn("officer.polri.surabaya", "mpp-demo")).isPresent();
	}

	@Test
	void aWrongPasswordGetsNoCode() {
		assertThat(this.identity.signIn("siti", "123456")).isEmpty();
		assertThat(this.identity.signIn("nobody", "mpp-demo")).isEmpty();
	}

}
