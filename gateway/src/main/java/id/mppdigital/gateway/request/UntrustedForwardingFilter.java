package id.mppdigital.gateway.request;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;

import id.mppdigital.gateway.system.GatewayProperties;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Drops the {@code Forwarded} and {@code X-Forwarded-*} headers a client sent, unless it connected
 * from one of the proxies {@code mpp.gateway.trusted-proxies} names. Services build public URLs (the
 * {@code @id}s of the catalog's JSON-LD, OpenAPI server URLs, problem {@code instance}s) from these
 * headers, and the gateway keeps public answers for everyone: a client's {@code X-Forwarded-Prefix}
 * would otherwise be served to every other client for as long as the answer is kept. Runs before
 * routing, the rate limit and the cache; the gateway then adds its own (prefix, host, proto).
 */
@Component
class UntrustedForwardingFilter implements WebFilter, Ordered {

	private static final String FORWARDED = "Forwarded";

	private final Pattern trustedProxies;

	UntrustedForwardingFilter(GatewayProperties properties) {
		this.trustedProxies = properties.trustedProxyPattern();
	}

	@Override
	public int getOrder() {
		// right after the request id
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (trusted(request.getRemoteAddress()) || !carriesForwarding(request.getHeaders())) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(request.mutate().headers(headers -> {
			headers.remove(FORWARDED);
			headers.headerNames().stream()
				.filter(UntrustedForwardingFilter::isForwarding)
				.toList()
				.forEach(headers::remove);
		}).build()).build());
	}

	private boolean trusted(InetSocketAddress peer) {
		return this.trustedProxies != null && peer != null
				&& this.trustedProxies.matcher(peer.getHostString()).matches();
	}

	private static boolean carriesForwarding(HttpHeaders headers) {
		return headers.headerNames().stream().anyMatch(name -> isForwarding(name)
				|| FORWARDED.equalsIgnoreCase(name));
	}

	private static boolean isForwarding(String name) {
		return name.toLowerCase(Locale.ROOT).startsWith("x-forwarded-");
	}

}
