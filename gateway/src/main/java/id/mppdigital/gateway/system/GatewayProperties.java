package id.mppdigital.gateway.system;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits the gateway enforces before a request reaches any service.
 *
 * @param maxJsonBody largest JSON request body; larger ones get 413
 * @param maxBody largest body of any other media type (uploads); larger ones get 413
 * @param downstreamTimeLimit how long a client waits for a service before getting 503
 * @param retryAfter what {@code Retry-After} tells a client when a service is unavailable
 * @param maxConcurrentCallsPerRoute requests in flight to one service before further ones get 503
 * @param circuitBreaker when a failing service is cut off, per route
 * @param rateLimits token buckets per principal (per client IP when anonymous), per route
 * @param forwardedHops how many proxies in front of the gateway append to {@code X-Forwarded-For};
 * 0 when clients connect directly. Decides which address an anonymous client is limited by.
 * @param responseCache which routes' public answers the gateway keeps and serves itself
 * @param trustedProxies addresses (a regular expression) of the proxies in front of the gateway whose
 * {@code Forwarded} and {@code X-Forwarded-*} headers are believed; anyone else's are dropped. None
 * when empty: clients connect directly.
 */
@ConfigurationProperties("mpp.gateway")
public record GatewayProperties(DataSize maxJsonBody, DataSize maxBody, Duration downstreamTimeLimit,
		Duration retryAfter, int maxConcurrentCallsPerRoute, CircuitBreaker circuitBreaker, RateLimits rateLimits,
		int forwardedHops, ResponseCache responseCache, String trustedProxies) {

	public GatewayProperties {
		responseCache = responseCache == null ? new ResponseCache(null, null, null, null, null) : responseCache;
	}

	/** The proxies whose forwarding headers are believed, or null for none. */
	public Pattern trustedProxyPattern() {
		return (this.trustedProxies == null || this.trustedProxies.isBlank()) ? null
				: Pattern.compile(this.trustedProxies);
	}

	public record CircuitBreaker(int slidingWindowSize, int minimumNumberOfCalls, float failureRateThreshold,
			Duration waitDurationInOpenState) {
	}

	/**
	 * @param defaults for routes without their own
	 * @param routes by route id
	 */
	public record RateLimits(Limit defaults, Map<String, Limit> routes) {

		public RateLimits {
			routes = routes == null ? Map.of() : Map.copyOf(routes);
		}

		public Limit forRoute(String routeId) {
			return this.routes.getOrDefault(routeId, this.defaults);
		}

	}

	/**
	 * A token bucket: up to {@code capacity} requests at once, refilled by {@code refill} every
	 * {@code period} (greedily, spread over the period).
	 */
	public record Limit(long capacity, long refill, Duration period) {
	}

	/**
	 * A shared HTTP cache (RFC 9111) for anonymous reads: only answers a service marked
	 * {@code public} with a {@code max-age}, kept no longer than that nor than {@code maxAge}.
	 *
	 * @param routes route ids whose answers may be kept (none by default)
	 * @param maxSize memory for all kept answers together
	 * @param maxEntrySize larger answers are passed through, not kept
	 * @param maxAge longest time an answer is served as fresh, whatever the service allows
	 * @param maxStaleIfError longest time after that an answer may stand in for a failed one, whatever
	 * the service allows with {@code stale-if-error}
	 */
	public record ResponseCache(Set<String> routes, DataSize maxSize, DataSize maxEntrySize, Duration maxAge,
			Duration maxStaleIfError) {

		public ResponseCache {
			routes = routes == null ? Set.of() : Set.copyOf(routes);
			maxSize = maxSize == null ? DataSize.ofMegabytes(64) : maxSize;
			maxEntrySize = maxEntrySize == null ? DataSize.ofKilobytes(512) : maxEntrySize;
			maxAge = maxAge == null ? Duration.ofMinutes(1) : maxAge;
			maxStaleIfError = maxStaleIfError == null ? Duration.ofMinutes(10) : maxStaleIfError;
		}

	}

}
