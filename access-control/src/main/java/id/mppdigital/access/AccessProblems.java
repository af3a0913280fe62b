package id.mppdigital.access;


import java.time.Duration;

import id.mppdigital.problems.ProblemWriter;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * 401 and 403 as {@code application/problem+json}, with the RFC 6750 {@code WWW-Authenticate}
 * challenge on 401 (Spring Security's own answers have an empty body), written by the one
 * {@link ProblemWriter} (with the request id) in the gateway and every service alike.
 */
public class AccessProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	/** Every module's problem {@code type} starts here: one stable namespace for clients. */
	public static final String TYPE_BASE = Problems.TYPE_BASE;

	public static final String REALM = "mpp-digital";

	public static final String FORBIDDEN_DETAIL = "You are not allowed to do this.";

	private final ProblemWriter problems;

	public AccessProblems(ProblemWriter problems) {
		this.problems = problems;
	}

	/** How long a client should wait when the issuer's keys cannot be fetched. */
	public static final Duration ISSUER_RETRY_AFTER = Duration.ofSeconds(10);

	public static final String ISSUER_UNAVAILABLE_DETAIL = "Access tokens cannot be checked right now (the identity "
			+ "provider's keys are out of reach). Try again shortly.";

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		if (issuerUnavailable(failure)) {
			return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "identity-unavailable",
					ISSUER_UNAVAILABLE_DETAIL, ISSUER_RETRY_AFTER);
		}
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge(failure));
		return write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", detail(failure));
	}

	/**
	 * The token could not be checked at all (not: it was checked and is bad) — the issuer's JWK set
	 * could not be fetched. That is the platform's fault, not the client's: 503, not 401.
	 */
	public static boolean issuerUnavailable(AuthenticationException failure) {
		return failure instanceof AuthenticationServiceException;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return write(exchange, HttpStatus.FORBIDDEN, "forbidden", FORBIDDEN_DETAIL);
	}

	/** RFC 6750 §3: no error code when no token was sent; {@code invalid_token} when it was bad. */
	public static String challenge(AuthenticationException failure) {
		BearerTokenError error = bearerError(failure);
		if (error == null) {
			return "Bearer realm=\"" + REALM + "\"";
		}
		String description = error.getDescription() == null ? "" : error.getDescription().replace('"', '\'');
		return "Bearer realm=\"" + REALM + "\", error=\"" + error.getErrorCode() + "\", error_description=\""
				+ description + "\"";
	}

	public static String detail(AuthenticationException failure) {
		BearerTokenError error = bearerError(failure);
		if (error == null) {
			return "An access token is required: send 'Authorization: Bearer <token>'.";
		}
		return "The access token was rejected: " + error.getDescription();
	}

	private static BearerTokenError bearerError(AuthenticationException failure) {
		if (!(failure instanceof OAuth2AuthenticationException oauth)) {
			return null;
		}
		if (oauth.getError() instanceof BearerTokenError error) {
			return error;
		}
		String description = oauth.getError().getDescription();
		return new BearerTokenError("invalid_token", HttpStatus.UNAUTHORIZED,
				description == null ? failure.getMessage() : description, null);
	}

	private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail) {
		return this.problems.write(exchange, status, kind, detail);
	}

}
