package id.mppdigital.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
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
