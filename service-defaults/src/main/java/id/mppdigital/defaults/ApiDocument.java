package id.mppdigital.defaults;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import id.mppdigital.access.AccessControlProperties;
import id.mppdigital.access.OpenApiBearerAuth;
import id.mppdigital.problems.Problems;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;

/**
 * What every service's OpenAPI document says besides its operations, so that an integrator (and a
 * client generator) reads the API as it behaves:
 * <ul>
 * <li>a title, what the service owns, and the version of the build that serves it;</li>
 * <li>every problem answer an operation can give, each an RFC 9457 problem document
 * ({@code application/problem+json}) of one shared schema, {@code Problem}, with {@code requestId} and
 * {@code errors[]}: 400 where it takes input, 401 and 403 where it needs a token, 404 where its path
 * names something, 413 and 422 where it takes a body, and 429 and 503 everywhere (the gateway's
 * request limits, an unavailable service). An operation declares the others itself (409 with
 * {@code @ApiResponse(responseCode = "409", description = ...)}); the problem content is added here.</li>
 * </ul>
 */
@AutoConfiguration(after = OpenApiBearerAuth.class)
@ConditionalOnClass(OpenApiCustomizer.class)
@EnableConfigurationProperties(AccessControlProperties.class)
public class ApiDocument {

	static final String PROBLEM_JSON = "application/problem+json";

	/** A shared problem answer: its name in components.responses, its kind (the type's last segment), what it means. */
	private record Answer(String name, String kind, String meaning) {
	}

	/** The shared problem answers, by status. */
	private static final Map<String, Answer> PROBLEMS = new LinkedHashMap<>();

	static {
		PROBLEMS.put("400", new Answer("BadRequest", "invalid-request",
				"The request is malformed: a parameter of the wrong type, JSON that does not parse, or a field that is invalid (errors[] names each)."));
		PROBLEMS.put("401", new Answer("Unauthorized", "unauthorized",
				"No access token, or one that is expired, not from the platform's issuer or not for this API."));
		PROBLEMS.put("403", new Answer("Forbidden", "forbidden",
				"The token is valid but its roles, MPP or agency do not allow this operation."));
		PROBLEMS.put("404", new Answer("NotFound", "not-found",
				"Nothing with that id, or nothing the caller may see (another citizen's data is not found, not forbidden)."));
		PROBLEMS.put("409", new Answer("Conflict", "conflict",
				"The resource changed or is in a state that does not allow this now; read it again and decide."));
		PROBLEMS.put("413", new Answer("ContentTooLarge", "content-too-large",
				"The request body is larger than this API accepts."));
		PROBLEMS.put("422", new Answer("UnprocessableContent", "unprocessable",
				"The request is well-formed but breaks a rule of the domain (errors[] says which)."));
		PROBLEMS.put("429", new Answer("TooManyRequests", "too-many-requests",
				"Too many requests from this client: wait as long as Retry-After says."));
		PROBLEMS.put("503", new Answer("ServiceUnavailable", "service-unavailable",
				"The service, or one it depends on, cannot answer now; nothing was changed. Try again after Retry-After."));
	}

	@Bean
	OpenApiCustomizer serviceDocument(Environment environment, ObjectProvider<BuildProperties> build,
			AccessControlProperties access) {
		return openApi -> {
			String name = environment.getProperty("spring.application.name", "service");
			String owns = environment.getProperty("info.service.owns", name);
			BuildProperties built = build.getIfAvailable();
			openApi.setInfo(new Info().title("MPP Digital " + name)
				.version(built != null ? built.getVersion() : "development")
				.description("The " + name + " API of MPP Digital: " + owns + ". Reached through the gateway, "
						+ "which serves this document. Public reads need no token; everything else needs a bearer "
						+ "JWT from the platform's identity provider. Every error is an RFC 9457 problem document "
						+ "(application/problem+json) with a stable type, the requestId to quote to support, and "
						+ "errors[] by field for invalid input."));
			if (openApi.getServers() != null) {
				openApi.getServers().forEach(server -> server.setDescription("the MPP Digital gateway"));
			}
			components(openApi);
			if (openApi.getPaths() != null) {
				openApi.getPaths()
					.forEach((path, item) -> item.readOperationsMap()
						.forEach((method, operation) -> problems(access, path, method, operation)));
			}
			unused(openApi);
		};
	}

	/** The shared answers no operation refers to (a 409 each operation describes itself) are left out. */
	private static void unused(OpenAPI openApi) {
		Set<String> used = new HashSet<>();
		if (openApi.getPaths() != null) {
			openApi.getPaths()
				.values()
				.forEach(item -> item.readOperations()
					.forEach(operation -> operation.getResponses()
						.values()
						.forEach(response -> used.add(response.get$ref()))));
		}
		openApi.getComponents().getResponses().keySet().removeIf(name -> !used.contains("#/components/responses/" + name));
	}

	/** The problem answers this operation can give, each the shared one unless it says its own. */
	private static void problems(AccessControlProperties access, String path, PathItem.HttpMethod method,
			Operation operation) {
		if (operation.getResponses() == null) {
			operation.setResponses(new ApiResponses());
		}
		ApiResponses responses = operation.getResponses();
		boolean input = operation.getRequestBody() != null
				|| (operation.getParameters() != null && !operation.getParameters().isEmpty());
		boolean secured = !OpenApiBearerAuth.isPublic(access, method, path);
		boolean body = operation.getRequestBody() != null;
		add(responses, "400", input);
		add(responses, "401", secured);
		add(responses, "403", secured);
		add(responses, "404", path.contains("{"));
		add(responses, "413", body);
		add(responses, "422", body);
		add(responses, "429", true);
		add(responses, "503", true);
		// declared by the operation (a description of its own), answered as a problem document, not as
		// the method's return type springdoc gives every declared response
		responses.forEach((status, response) -> {
			if ((status.startsWith("4") || status.startsWith("5")) && response.get$ref() == null
					&& (response.getContent() == null || !response.getContent().containsKey(PROBLEM_JSON))) {
				response.setContent(problemContent());
			}
		});
	}

	private static void add(ApiResponses responses, String status, boolean applies) {
		if (applies && !responses.containsKey(status)) {
			responses.addApiResponse(status, new ApiResponse().$ref("#/components/responses/" + PROBLEMS.get(status).name()));
		}
	}

	private static void components(OpenAPI openApi) {
		if (openApi.getComponents() == null) {
			openApi.setComponents(new Components());
		}
		Components components = openApi.getComponents();
		components.addSchemas("Problem", problemSchema());
		PROBLEMS.forEach((status, problem) -> {
			ApiResponse response = new ApiResponse().description(problem.meaning())
				.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(reference())
					.example(example(Integer.parseInt(status), problem.kind()))));
			if (status.equals("429") || status.equals("503")) {
				response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
					.schema(new IntegerSchema().minimum(BigDecimal.ONE)));
			}
			components.addResponses(problem.name(), response);
		});
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(reference()));
	}

	private static Schema<?> reference() {
		return new Schema<>().$ref("#/components/schemas/Problem");
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> problemSchema() {
		Schema field = new ObjectSchema().addProperty("field",
				new StringSchema().description("The field, parameter or header, as the request named it ('' for the body as a whole)"))
			.addProperty("message", new StringSchema().description("What is wrong with it"))
			.required(List.of("field", "message"));
		return new ObjectSchema().description("An RFC 9457 problem document, as every MPP Digital service and the gateway answer errors")
			.addProperty("type", new StringSchema().format("uri")
				.description("Stable per kind of error, under https://mppdigital.id/problems/"))
			.addProperty("title", new StringSchema().description("The HTTP reason phrase"))
			.addProperty("status", new IntegerSchema().description("The HTTP status"))
			.addProperty("detail", new StringSchema().description("What happened, for a person to read"))
			.addProperty("instance", new StringSchema().format("uri-reference").description("The path the client asked for"))
			.addProperty("requestId", new StringSchema()
				.description("The request's X-Request-Id (the client's own if it sent a well-formed one): quote it to support"))
			.addProperty("errors", new ArraySchema().items(field).description("Each invalid field (400, 422)"))
			.required(List.of("type", "title", "status", "detail", "instance", "requestId"));
	}

	private static Map<String, Object> example(int status, String kind) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", Problems.TYPE_BASE + kind);
		example.put("title", HttpStatus.valueOf(status).getReasonPhrase());
		example.put("status", status);
		example.put("detail", PROBLEMS.get(Integer.toString(status)).meaning());
		example.put("instance", "/api/catalog/mpps/kota-probolinggo");
		example.put("requestId", "3f0c2a9e-5d1b-4c7e-9a41-6b2f8e0d7c15");
		if (status == 400 || status == 422) {
			example.put("errors", List.of(Map.of("field", "validFrom", "message", "must be a date (YYYY-MM-DD)")));
		}
		return example;
	}

}
