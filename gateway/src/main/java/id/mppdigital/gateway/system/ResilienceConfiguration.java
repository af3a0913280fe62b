package id.mppdigital.gateway.system;

import java.time.Duration;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One set of defaults for every route's circuit breaker. Resilience4j's own defaults (100 calls
 * before judging, 1 s time limit) never trip for a quiet service and cut slow-but-healthy ones.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	@Bean
	Customizer<ReactiveResilience4JCircuitBreakerFactory> routeCircuitBreakerDefaults(GatewayProperties properties) {
		GatewayProperties.CircuitBreaker cb = properties.circuitBreaker();
		return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
			.circuitBreakerConfig(CircuitBreakerConfig.custom()
				.slidingWindowSize(cb.slidingWindowSize())
				.minimumNumberOfCalls(cb.minimumNumberOfCalls())
				.failureRateThreshold(cb.failureRateThreshold())
				.waitDurationInOpenState(cb.waitDurationInOpenState())
				// a full bulkhead is the gateway protecting itself, not the service failing
				.ignoreExceptions(BulkheadFullException.class)
				.build())
			.timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(properties.downstreamTimeLimit()).build())
			.build());
	}

	/**
	 * Caps the requests in flight to each service, so one slow service cannot hold every gateway
	 * connection. The library default (25) rejects ordinary traffic on a busy MPP.
	 */
	@Bean
	Customizer<ReactiveResilience4jBulkheadProvider> routeBulkheadDefaults(GatewayProperties properties) {
		return provider -> provider.configureDefault(id -> new Resilience4jBulkheadConfigurationBuilder()
			.bulkheadConfig(BulkheadConfig.custom()
				.maxConcurrentCalls(properties.maxConcurrentCallsPerRoute())
				.maxWaitDuration(Duration.ZERO)
				.build())
			.build());
	}

}
