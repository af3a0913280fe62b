package id.mppdigital.gateway.access;

import java.net.InetSocketAddress;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.mppdigital.gateway.system.GatewayProperties;
import id.mppdigital.problems.ProblemWriter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ipresolver.RemoteAddressResolver;
import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Rate limits per route and per caller: the token's subject when there is a (validated) token, the
 * client's address otherwise. Over the limit: {@code 429} problem with {@code Retry-After}, the
 * service is not called. Every answer carries {@code RateLimit-Limit} and {@code RateLimit-Remaining}.
 * <p>
 * Buckets live in this gateway's memory (at most {@value #MAX_BUCKETS}, dropped after
 * {@value #IDLE_MINUTES} idle minutes): with N gateway instances behind a load balancer a client
 * gets up to N times the limit, which is acceptable for abuse protection; a shared store (Redis via
 * Bucket4j's proxy manager) would make it exact.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

	static final int MAX_BUCKETS = 200_000;

	static final int IDLE_MINUTES = 10;

	private final GatewayProperties.RateLimits limits;

	private final ProblemWriter problems;

	private final RemoteAddressResolver addresses;

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(MAX_BUCKETS)
		.expireAfterAccess(Duration.ofMinutes(IDLE_MINUTES))
		.build();

	RateLimitFilter(GatewayProperties properties, ProblemWriter problems) {
		this.limits = properties.rateLimits();
		this.problems = problems;
		this.addresses = properties.forwardedHops() > 0
				? XForwardedRemoteAddressResolver.maxTrustedIndex(properties.forwardedHops())
				: new RemoteAddressResolver() {
				};
	}

	@Override
	public int getOrder() {
		// before the route's own filters: a limited request never reaches breaker or service
		return Ordered.HIGHEST_PRECEDENCE + 1000;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || this.limits == null) {
			return chain.filter(exchange);
		}
		GatewayProperties.Limit limit = this.limits.forRoute(route.getId());
		if (limit == null) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.map(principal -> "sub:" + principal.getName())
			.switchIfEmpty(Mono.fromSupplier(() -> "ip:" + clientAddress(exchange)))
			.flatMap(caller -> {
				Bucket bucket = this.buckets.get(route.getId() + '|' + caller, key -> bucket(limit));
				ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
				HttpHeaders headers = exchange.getResponse().getHeaders();
				headers.set("RateLimit-Limit", Long.toString(limit.capacity()));
				headers.set("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
				if (probe.isConsumed()) {
					return chain.filter(exchange);
				}
				long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
				return this.problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
						"Too many requests: at most " + limit.capacity() + " at once and " + limit.refill() + " per "
								+ limit.period().toSeconds() + " s. Try again in " + seconds + " s.",
						Duration.ofSeconds(seconds));
			});
	}

	private String clientAddress(ServerWebExchange exchange) {
		InetSocketAddress address = this.addresses.resolve(exchange);
		return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
	}

	private static Bucket bucket(GatewayProperties.Limit limit) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.refill(), limit.period()).build())
			.build();
	}

}
