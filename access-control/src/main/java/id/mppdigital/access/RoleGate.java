package id.mppdigital.access;

import java.util.List;

import id.mppdigital.problems.ProblemWriter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a call to a handler method marked {@link Allowed} by a caller without one of its roles,
 * right after authentication and before anything reads the request body.
 */
class RoleGate implements WebFilter, Ordered {

	private final ObjectProvider<RequestMappingHandlerMapping> mappings;

	private final ProblemWriter problems;

	private volatile List<RequestMappingHandlerMapping> gated;

	RoleGate(ObjectProvider<RequestMappingHandlerMapping> mappings, ProblemWriter problems) {
		this.mappings = mappings;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		// Spring Security's filter chain runs at -100
		return -99;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
			return chain.filter(exchange);
		}
		List<RequestMappingHandlerMapping> candidates = gated();
		if (candidates.isEmpty()) {
			return chain.filter(exchange);
		}
		return Flux.fromIterable(candidates)
			.concatMap(mapping -> mapping.getHandler(exchange))
			.next()
			.filter(HandlerMethod.class::isInstance)
			.mapNotNull(handler -> ((HandlerMethod) handler).getMethodAnnotation(Allowed.class))
			.flatMap(allowed -> exchange.getPrincipal()
				.filter(JwtAuthenticationToken.class::isInstance)
				.map(principal -> Caller.of(((JwtAuthenticationToken) principal).getToken()))
				.filter(caller -> !hasAny(caller, allowed.value()))
				.flatMap(caller -> this.problems.write(exchange, HttpStatus.FORBIDDEN, "forbidden",
						"This operation needs one of the roles " + String.join(", ", allowed.value()) + ".")
					.thenReturn(true)))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange)).thenReturn(true))
			.then();
	}

	/**
	 * The handler mappings with at least one {@link Allowed} method, found once: a module without
	 * any (the gateway) pays nothing per request.
	 */
	private List<RequestMappingHandlerMapping> gated() {
		List<RequestMappingHandlerMapping> gated = this.gated;
		if (gated == null) {
			gated = this.mappings.orderedStream()
				.filter(mapping -> mapping.getHandlerMethods().values().stream()
					.anyMatch(method -> method.hasMethodAnnotation(Allowed.class)))
				.toList();
			this.gated = gated;
		}
		return gated;
	}

	private static boolean hasAny(Caller caller, String[] roles) {
		for (String role : roles) {
			if (caller.has(role)) {
				return true;
			}
		}
		return false;
	}

}
