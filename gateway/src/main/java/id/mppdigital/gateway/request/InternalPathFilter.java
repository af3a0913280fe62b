package id.mppdigital.gateway.request;

import java.util.Locale;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Keeps the services' operational endpoints private. A route such as {@code /api/catalog/**}
 * would otherwise forward {@code /api/catalog/actuator/env} to the service's own actuator. Segments
 * are checked decoded and without matrix parameters, because that is how the service will match
 * them ({@code %61ctuator}, {@code actuator;x=1} and {@code ACTUATOR} all count). Dot segments are
 * refused outright rather than trusted to be normalised the same way on both sides. The gateway's
 * own {@code /fallback/...} is internal too.
 */
@Component
class InternalPathFilter implements WebFilter, Ordered {

	private static final Set<String> INTERNAL = Set.of("actuator", "eureka");

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isInternal(exchange.getRequest().getPath().pathWithinApplication())) {
			// the same answer as a path with no route at all: nothing reveals that it exists
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
		}
		return chain.filter(exchange);
	}

	/**
	 * The routed API is checked; the gateway's own actuator lives on the management port, and its
	 * fallback answers only requests its circuit breakers forward there (a forward does not pass the
	 * web filters again), never a client asking for {@code /fallback/...} itself.
	 */
	static boolean isInternal(PathContainer path) {
		if (isFallback(path)) {
			return true;
		}
		if (!path.value().startsWith("/api/")) {
			return false;
		}
		for (PathContainer.Element element : path.elements()) {
			if (element instanceof PathContainer.PathSegment segment) {
				String value = segment.valueToMatch().toLowerCase(Locale.ROOT).strip();
				if (INTERNAL.contains(value) || value.equals(".") || value.equals("..")) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isFallback(PathContainer path) {
		for (PathContainer.Element element : path.elements()) {
			if (element instanceof PathContainer.PathSegment segment) {
				return segment.valueToMatch().toLowerCase(Locale.ROOT).strip().equals("fallback");
			}
		}
		return false;
	}

}
