package id.mppdigital.problems;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place problem documents (RFC 9457) get their common members: a stable {@code type} under
 * {@link Problems#TYPE_BASE}, the path the client asked for as {@code instance}, and the
 * {@code requestId} to quote to support. Controllers' errors reach it through {@link ProblemHandler};
 * filters, security and the gateway, which answer outside a controller, call {@link #write} directly.
 */
public class ProblemWriter {

	private final JsonMapper jsonMapper;

	public ProblemWriter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/** Adds {@code instance} and {@code requestId} to a problem about to be sent for this exchange. */
	public static ProblemDetail complete(ProblemDetail problem, ServerWebExchange exchange) {
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			problem.setType(URI.create(Problems.TYPE_BASE + Problems.kind(problem.getStatus())));
		}
		if (problem.getDetail() == null) {
			problem.setDetail(problem.getStatus() == 413 ? "The request body is larger than this API accepts."
					: Problems.reason(problem.getStatus()));
		}
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(clientPath(exchange)));
		}
		String requestId = RequestId.of(exchange);
		if (requestId != null) {
			problem.setProperty("requestId", requestId);
		}
		return problem;
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail) {
		return write(exchange, status, kind, detail, List.of(), null);
	}

	/** A problem of this kind; with {@code retryAfter}, the client may repeat the request after it. */
	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail,
			Duration retryAfter) {
		return write(exchange, status, kind, detail, List.of(), retryAfter);
	}

	/** A problem about these fields of the request, in {@code errors} as request validation lists them. */
	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail,
			List<Problems.FieldError> errors) {
		return write(exchange, status, kind, detail, errors, null);
	}

	private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail,
			List<Problems.FieldError> errors, Duration retryAfter) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(new IllegalStateException("response already committed; cannot write " + kind));
		}
		ProblemDetail problem = complete(Problems.detail(status, kind, detail, errors), exchange);
		byte[] body = this.jsonMapper.writeValueAsBytes(members(problem));
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(body.length);
		if (retryAfter != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** RFC 9457's members, extensions beside them (as Spring's own encoder writes a ProblemDetail). */
	private static Map<String, Object> members(ProblemDetail problem) {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("type", problem.getType().toString());
		members.put("title", problem.getTitle());
		members.put("status", problem.getStatus());
		members.put("detail", problem.getDetail());
		members.put("instance", problem.getInstance().toString());
		if (problem.getProperties() != null) {
			members.putAll(problem.getProperties());
		}
		return members;
	}

	/** The path the client asked for, not where routing (a prefix stripped, a fallback forward) took it. */
	private static String clientPath(ServerWebExchange exchange) {
		String path = exchange.getAttribute(RequestId.PATH_ATTRIBUTE);
		return (path != null) ? path : exchange.getRequest().getPath().value();
	}

}
