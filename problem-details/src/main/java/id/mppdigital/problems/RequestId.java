package id.mppdigital.problems;

import java.util.UUID;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an {@code X-Request-Id}: the caller's own if it is well-formed (the gateway's,
 * or a mobile app's, so it can correlate its logs with ours), a new UUID otherwise. It is passed on,
 * put in every problem document ({@link ProblemWriter}) and returned on every response, errors
 * included. Runs first, so it also remembers the path the client asked for before routing rewrites it.
 */
public class RequestId implements WebFilter, Ordered {

	public static final String HEADER = "X-Request-Id";

	public static final String ATTRIBUTE = RequestId.class.getName() + ".id";

	/** The path as the client sent it (the {@code instance} of a problem). */
	static final String PATH_ATTRIBUTE = RequestId.class.getName() + ".path";

	/** Printable, log-safe and bounded: no spaces, CR/LF or quotes can be smuggled into logs. */
	private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String offered = exchange.getRequest().getHeaders().getFirst(HEADER);
		String id = (offered != null && WELL_FORMED.matcher(offered).matches()) ? offered : UUID.randomUUID().toString();
		exchange.getAttributes().put(ATTRIBUTE, id);
		exchange.getAttributes().put(PATH_ATTRIBUTE, exchange.getRequest().getPath().value());
		exchange.getResponse().getHeaders().set(HEADER, id);
		ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> headers.set(HEADER, id)).build();
		return chain.filter(exchange.mutate().request(request).build());
	}

	/** This exchange's id, or null outside a request that went through the filter. */
	public static String of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
