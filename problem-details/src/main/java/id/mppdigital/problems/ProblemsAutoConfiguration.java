package id.mppdigital.problems;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Problem documents everywhere a reactive web module answers: controllers ({@link ProblemHandler}),
 * filters and security ({@link ProblemWriter}), and whatever escapes them ({@link ProblemExceptionHandler});
 * every one carries the request id ({@link RequestId}); and Netty's own refusals
 * ({@link ConnectionLimits}), which also bound what a slow client's connection may hold.
 */
// before WebFlux: Spring Boot then leaves out its own ResponseEntityExceptionHandler (it stands back for any other)
@AutoConfiguration(beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Import(ProblemHandler.class)
@EnableConfigurationProperties(ConnectionLimits.class)
public class ProblemsAutoConfiguration {

	@Bean
	StrictJson strictJson() {
		return new StrictJson();
	}

	@Bean
	RequestId requestId() {
		return new RequestId();
	}

	@Bean
	ProblemWriter problemWriter(JsonMapper jsonMapper) {
		return new ProblemWriter(jsonMapper);
	}

	@Bean
	ProblemExceptionHandler problemExceptionHandler(ProblemWriter problems) {
		return new ProblemExceptionHandler(problems);
	}

}
