package id.mppdigital.gateway.access;

import java.time.Duration;

import id.mppdigital.access.AccessProblems;
import id.mppdigital.gateway.system.ProblemWriter;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's 401 and 403: the same challenge and wording as every service, in the gateway's
 * problem format (with the request id to quote to support).
 */
@Component
class SecurityProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	private final ProblemWriter problems;

	SecurityProblems(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		if (AccessProblems.issuerUnavailable(failure)) {
			return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "identity-unavailable",
					AccessProblems.ISSUER_UNAVAILABLE_DETAIL,
					Duration.ofSeconds(Long.parseLong(AccessProblems.ISSUER_RETRY_AFTER_SECONDS)));
		}
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, AccessProblems.challenge(failure));
		return this.problems.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", AccessProblems.detail(failure));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return this.problems.write(exchange, HttpStatus.FORBIDDEN, "forbidden", AccessProblems.FORBIDDEN_DETAIL);
	}

}
