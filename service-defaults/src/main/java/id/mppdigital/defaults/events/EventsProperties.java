package id.mppdigital.defaults.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a consumer retries a record it could not take before dead-lettering it (defaults in
 * {@code mpp-service-defaults.yml}).
 */
@ConfigurationProperties("mpp.events")
public record EventsProperties(Retry retry) {

	/**
	 * @param initialInterval the first wait
	 * @param multiplier each next wait is this times longer
	 * @param maxInterval no wait is longer
	 * @param maxAttempts deliveries in all, the first included, before the record is dead-lettered
	 */
	public record Retry(Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts) {
	}

}
