package id.mppdigital.access;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * For tests of access rules: publishes a JWK set and an OpenID discovery document on loopback,
 * exactly where a resource server looks for them, and mints tokens with its key — valid ones for each
 * role, and every kind of bad one a resource server must refuse. (End-to-end tests take their tokens
 * from the real identity server instead.)
 */
public final class TestIssuer implements AutoCloseable {

	public static final String AUDIENCE = "mpp-api";

	private final RSAKey key = generate("test-key");

	/** A key that is never published: a token signed with it must be refused. */
	private final RSAKey unknownKey = generate("test-key");

	private final HttpServer server;

	private final String issuer;

	public TestIssuer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.issuer = "http://127.0.0.1:" + this.server.getAddress().getPort();
		String jwks = new JWKSet(this.key.toPublicJWK()).toString();
		String discovery = "{\"issuer\":\"" + this.issuer + "\",\"jwks_uri\":\"" + this.issuer + "/oauth2/jwks\","
				+ "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
		this.server.createContext("/oauth2/jwks", exchange -> respond(exchange, jwks));
		this.server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange, discovery));
		this.server.start();
	}

	private static RSAKey generate(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void respond(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/** The issuer URI to configure as {@code mpp.security.issuer-uri}. */
	public String issuer() {
		return this.issuer;
	}

	public String citizen(String subject) {
		return token(subject, Map.of("roles", List.of(Caller.CITIZEN)));
	}

	public String officer(String subject, String mpp, String agency) {
		return token(subject, Map.of("roles", List.of(Caller.OFFICER), "mpp", mpp, "agency", agency));
	}

	public String mppAdmin(String subject, String mpp) {
		return token(subject, Map.of("roles", List.of(Caller.MPP_ADMIN), "mpp", mpp));
	}

	public String platformAdmin(String subject) {
		return token(subject, Map.of("roles", List.of(Caller.PLATFORM_ADMIN)));
	}

	public String agencySystem(String clientId, String agency) {
		return token(clientId, Map.of("roles", List.of(Caller.AGENCY_SYSTEM), "agency", agency));
	}

	/** A valid token: this issuer, the platform audience, 5 minutes left. */
	public String token(String subject, Map<String, Object> claims) {
		return sign(this.key, claims(subject, claims).build());
	}

	/**
	 * Every kind of token a resource server must answer with 401, by name: expired, not yet valid,
	 * wrong issuer, wrong audience, no expiry, {@code alg: none}, tampered payload, unknown key, HMAC
	 * signed with the public key as secret (algorithm confusion), garbage.
	 */
	public Map<String, String> rejectedTokens() {
		Map<String, Object> roles = Map.of("roles", List.of(Caller.PLATFORM_ADMIN));
		Map<String, String> tokens = new LinkedHashMap<>();
		Instant now = Instant.now();
		tokens.put("expired", sign(this.key, claims("s-1", roles).issueTime(Date.from(now.minus(Duration.ofHours(1))))
			.notBeforeTime(Date.from(now.minus(Duration.ofHours(1))))
			.expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))
			.build()));
		tokens.put("not yet valid", sign(this.key,
				claims("s-1", roles).notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build()));
		tokens.put("wrong issuer", sign(this.key, claims("s-1", roles).issuer("http://127.0.0.1:1/other").build()));
		tokens.put("wrong audience", sign(this.key, claims("s-1", roles).audience("another-api").build()));
		tokens.put("no expiry", sign(this.key, claims("s-1", roles).expirationTime(null).build()));
		tokens.put("alg none", new PlainJWT(claims("s-1", roles).build()).serialize());
		String valid = token("s-1", Map.of("roles", List.of(Caller.CITIZEN)));
		String[] parts = valid.split("\\.");
		String elevated = Base64URL.encode(Base64URL.from(parts[1]).decodeToString().replace("citizen", "platform_admin"))
			.toString();
		tokens.put("tampered payload", parts[0] + "." + elevated + "." + parts[2]);
		tokens.put("unknown key", sign(this.unknownKey, claims("s-1", roles).build()));
		tokens.put("HMAC with the public key", hmacWithPublicKey(claims("s-1", roles).build()));
		tokens.put("garbage", "not-a-jwt");
		return tokens;
	}

	private JWTClaimsSet.Builder claims(String subject, Map<String, Object> claims) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(subject)
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.jwtID(UUID.randomUUID().toString());
		claims.forEach(builder::claim);
		return builder;
	}

	private static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String hmacWithPublicKey(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(this.key.getKeyID()).build(),
					claims);
			jwt.sign(new MACSigner(this.key.toPublicJWK().toRSAPublicKey().getEncoded()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
