package id.mppdigital.defaults;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service connects to Kafka as its own principal when its credentials are in the environment (as
 * the local stack and compose give them), and the service's own settings still win. That the broker
 * then lets it do exactly what the contract grants is {@code KafkaSecurityTests} (local-stack), and
 * the whole stack working on a secured broker is {@code LocalStackIntegrationTests}.
 */
class KafkaPrincipalTests {

	private static StandardEnvironment environment(Map<String, Object> given) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("given", given));
		new ServiceDefaults().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void credentialsInTheEnvironmentMakeTheServiceItsOwnScramPrincipal() {
		StandardEnvironment environment = environment(Map.of("spring.application.name", "notification-service",
				"mpp.kafka.password", "s3cret-from-the-environment"));

		assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_PLAINTEXT");
		assertThat(environment.getProperty("spring.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
		assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config"))
			.isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
					+ "username=\"notification-service\" password=\"s3cret-from-the-environment\";");
	}

	@Test
	void anExplicitUserNameWinsAndWithoutAPasswordTheClientIsUnauthenticated() {
		assertThat(environment(Map.of("spring.application.name", "svc", "mpp.kafka.username", "agency-adapter",
				"mpp.kafka.password", "p")).getProperty("spring.kafka.properties.sasl.jaas.config"))
			.contains("username=\"agency-adapter\"");
		StandardEnvironment open = environment(Map.of("spring.application.name", "svc"));
		assertThat(open.getProperty("spring.kafka.security.protocol")).isNull();
		assertThat(open.getProperty("spring.kafka.properties.sasl.jaas.config")).isNull();
	}

	@Test
	void aPasswordThatWouldBreakOutOfTheLoginLineIsRefused() {
		assertThatThrownBy(() -> environment(Map.of("spring.application.name", "svc", "mpp.kafka.password",
				"x\" username=\"admin"))).isInstanceOf(IllegalArgumentException.class);
	}

}
