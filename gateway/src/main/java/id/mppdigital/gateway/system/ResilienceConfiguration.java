package id.mppdigital.gateway.system;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
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
				.build())
			.timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(properties.downstreamTimeLimit()).build())
			.build());
	}

}
