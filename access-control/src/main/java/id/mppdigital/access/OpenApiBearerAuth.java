package id.mppdigital.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every module's OpenAPI document says who may call each operation, from the same rules the filter
 * chain enforces: a bearer JWT from the platform's issuer, except for the module's public paths
 * ({@code mpp.security.public-paths}), which need none — and where such an operation also takes the
 * caller (a citizen's own ticket from the kiosk path) the token is optional. The {@link Caller} argument is how a controller learns who calls, not
 * something a client sends: it never appears as a parameter.
 */
@AutoConfiguration(after = AccessControlAutoConfiguration.class)
@ConditionalOnClass(OpenApiCustomizer.class)
@EnableConfigurationProperties(AccessControlProperties.class)
public class OpenApiBearerAuth {

	static final String SCHEME = "bearer";

	/** Marks, between the two customizers, an operation whose handler takes an optional caller. */
	private static final String OPTIONAL_CALLER = "x-mpp-optional-caller";

	@Bean
	OperationCustomizer callerIsNoParameter() {
		return (operation, handler) -> {
			List<String> callers = new ArrayList<>();
			boolean optional = false;
			for (MethodParameter parameter : handler.getMethodParameters()) {
				Class<?> type = parameter.getParameterType();
				boolean optionalCaller = type == Optional.class
						&& parameter.nestedIfOptional().getNestedParameterType() == Caller.class;
				if (type == Caller.class || optionalCaller) {
					callers.add(parameter.getParameterName());
					optional |= optionalCaller;
				}
			}
			if (operation.getParameters() != null && !callers.isEmpty()) {
				operation.getParameters()
					.removeIf(parameter -> "query".equals(parameter.getIn()) && callers.contains(parameter.getName()));
				if (operation.getParameters().isEmpty()) {
					operation.setParameters(null);
				}
			}
			if (optional) {
				operation.addExtension(OPTIONAL_CALLER, true);
			}
			return operation;
		};
	}

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
			// per operation, not for the whole document
			openApi.setSecurity(null);
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				boolean optionalCaller = operation.getExtensions() != null
						&& operation.getExtensions().remove(OPTIONAL_CALLER) != null;
				if (operation.getExtensions() != null && operation.getExtensions().isEmpty()) {
					operation.setExtensions(null);
				}
				if (isPublic(properties, method, path)) {
					// {} first: no token needed; with one, the answer is the caller's own
					operation.setSecurity(optionalCaller
							? List.of(new SecurityRequirement(), new SecurityRequirement().addList(SCHEME))
							: List.of());
				}
				else {
					operation.setSecurity(List.of(new SecurityRequirement().addList(SCHEME)));
				}
			}));
		};
	}

	/** As the filter chain decides, from the same rules ({@link AccessControlProperties#publicRules()}). */
	public static boolean isPublic(AccessControlProperties properties, PathItem.HttpMethod method, String path) {
		// a template's variables stand for any one segment
		PathContainer concrete = PathContainer.parsePath(path.replaceAll("\\{[^}]+}", "x"));
		return properties.publicRules()
			.stream()
			.anyMatch(rule -> (rule.method() == null || rule.method().name().equalsIgnoreCase(method.name()))
					&& PathPatternParser.defaultInstance.parse(rule.pattern()).matches(concrete));
	}

}
