package id.mppdigital.access;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

/**
 * How tokens are validated and which requests need none. Environment variables follow Spring's
 * relaxed binding: {@code MPP_SECURITY_ISSUER_URI}, {@code MPP_SECURITY_JWK_SET_URI},
 * {@code MPP_SECURITY_AUDIENCE}.
 *
 * @param issuerUri the {@code iss} every token must carry; without {@code jwkSetUri}, its keys are
 * found through the issuer's OpenID discovery document (any OIDC provider works)
 * @param jwkSetUri where the issuer publishes its keys, when it is not reachable at {@code issuerUri}
 * (in compose: the issuer's container name, while tokens name the public URL)
 * @param audience the {@code aud} every token must contain
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param publicPaths requests that need no token, as {@code "GET /mpps/**"} (one method) or
 * {@code "/v3/api-docs/**"} (any method); health, info and prometheus are always public
 */
@ConfigurationProperties("mpp.security")
public record AccessControlProperties(@DefaultValue("http://localhost:8086") URI issuerUri, URI jwkSetUri,
		@DefaultValue("mpp-api") String audience, @DefaultValue("30s") Duration clockSkew, List<String> publicPaths) {

	public AccessControlProperties {
		publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
		// an empty environment variable means "not set"
		jwkSetUri = jwkSetUri == null || jwkSetUri.toString().isBlank() ? null : jwkSetUri;
	}

	/**
	 * One public-path rule: {@code "GET /mpps/**"} for one method, {@code "/v3/api-docs/**"} for any
	 * ({@code method} null).
	 */
	public record PublicPath(HttpMethod method, String pattern) {

		static PublicPath parse(String rule) {
			String[] parts = rule.trim().split("\\s+", 2);
			return parts.length == 2 ? new PublicPath(HttpMethod.valueOf(parts[0]), parts[1]) : new PublicPath(null, parts[0]);
		}

	}

	/** {@link #publicPaths()} as rules. */
	public List<PublicPath> publicRules() {
		return this.publicPaths.stream().map(PublicPath::parse).toList();
	}

}
