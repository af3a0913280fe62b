package id.mppdigital.access;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Every module's OpenAPI document says how to call it: a bearer JWT from the platform's issuer (the
 * Swagger UI then offers "Authorize" for a token from {@code tools/token}). Public reads work
 * without one; docs/security.md lists them.
 */
@AutoConfiguration(after = AccessControlAutoConfiguration.class)
@ConditionalOnClass(OpenApiCustomizer.class)
@EnableConfigurationProperties(AccessControlProperties.class)
public class OpenApiBearerAuth {

	static final String SCHEME = "bearer";

	@Bean
	OpenApiCustomizer bearerAuthentication(AccessControlProperties properties) {
		return openApi -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents()
				.addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.bearerFormat("JWT")
					.description("Access token from " + properties.issuerUri() + " (audience " + properties.audience()
							+ "). Public reads need none."));
			openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
		};
	}

}
