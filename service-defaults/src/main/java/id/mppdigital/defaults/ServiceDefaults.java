package id.mppdigital.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The defaults every service shares ({@code mpp-service-defaults.yml}, and
 * {@code mpp-service-defaults-local.yml} in the {@code local} profile), added below everything else:
 * a service's own {@code application.yml}, its profiles and the environment all override them, so the
 * service's file holds only what is its own (port, name, database, public paths).
 * <p>
 * A library cannot ship an {@code application.yml} of its own (only the first on the class path is
 * read), hence this post-processor; it runs after the config files are read, when the active profiles
 * are known.
 */
public class ServiceDefaults implements EnvironmentPostProcessor, Ordered {

	static final String DEFAULTS = "mpp-service-defaults.yml";

	static final String LOCAL_DEFAULTS = "mpp-service-defaults-local.yml";

	static final String KAFKA_USERNAME = "mpp.kafka.username";

	static final String KAFKA_PASSWORD = "mpp.kafka.password";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// the local profile's defaults win over the shared ones, both lose to the service's own
		if (environment.matchesProfiles("local")) {
			load(LOCAL_DEFAULTS).forEach(source -> environment.getPropertySources().addLast(source));
		}
		load(DEFAULTS).forEach(source -> environment.getPropertySources().addLast(source));
		String password = environment.getProperty(KAFKA_PASSWORD);
		if (password != null && !password.isEmpty()) {
			String user = environment.getProperty(KAFKA_USERNAME, environment.getProperty("spring.application.name", ""));
			environment.getPropertySources().addLast(new MapPropertySource("service defaults (Kafka principal)", kafkaPrincipal(user, password)));
		}
	}

	/**
	 * The service's own Kafka principal, when its credentials are in the environment
	 * ({@code MPP_KAFKA_USERNAME}, default the application name, and {@code MPP_KAFKA_PASSWORD}):
	 * SASL/SCRAM-SHA-256 for producers, consumers and the admin client alike. Without a password the
	 * client connects unauthenticated, which a secured broker (the local stack's, compose's) refuses.
	 */
	static Map<String, Object> kafkaPrincipal(String user, String password) {
		if (!user.matches("[A-Za-z0-9._-]+") || password.contains("\"") || password.contains("\\")) {
			throw new IllegalArgumentException("Kafka credentials must be a plain user name and a password without quotes or backslashes");
		}
		return Map.of("spring.kafka.security.protocol", "SASL_PLAINTEXT", "spring.kafka.properties.sasl.mechanism",
				"SCRAM-SHA-256", "spring.kafka.properties.sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
						+ password + "\";");
	}

	private static List<PropertySource<?>> load(String name) {
		Resource resource = new ClassPathResource(name, ServiceDefaults.class.getClassLoader());
		try {
			return new YamlPropertySourceLoader().load("service defaults (" + name + ")", resource);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + name, ex);
		}
	}

}
