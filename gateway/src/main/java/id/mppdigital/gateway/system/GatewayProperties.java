package id.mppdigital.gateway.system;

import java.time.Duration;

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
 */
@ConfigurationProperties("mpp.gateway")
public record GatewayProperties(DataSize maxJsonBody, DataSize maxBody, Duration downstreamTimeLimit,
		Duration retryAfter, int maxConcurrentCallsPerRoute, CircuitBreaker circuitBreaker) {

	public record CircuitBreaker(int slidingWindowSize, int minimumNumberOfCalls, float failureRateThreshold,
			Duration waitDurationInOpenState) {
	}

}
