package id.mppdigital.defaults;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What every service gets besides configuration: one {@link Clock} that every class injects instead of
 * asking the system for the time (tests fix it), in UTC — a service turns it into an MPP's local day
 * with {@link MppTime}.
 */
@AutoConfiguration
public class ServiceDefaultsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		// in milliseconds, as the store keeps instants: an object written and the same object read
		// back then compare equal (a ticket once counted itself ahead of itself, found end to end)
		return Clock.tickMillis(java.time.ZoneOffset.UTC);
	}

}
