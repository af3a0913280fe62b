package id.mppdigital.gateway.system;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import id.mppdigital.access.AccessProblems;
import id.mppdigital.gateway.request.RequestIdFilter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes RFC 9457 problem documents. Every error the gateway itself produces goes through here so
 * that clients see one shape, a stable {@code type} per kind of error, and the request id to quote
 * to support; never a stack trace.
 */
@Component
public class ProblemWriter {

	public static final String TYPE_BASE = AccessProblems.TYPE_BASE;

	private final JsonMapper jsonMapper;

	ProblemWriter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail) {
		return write(exchange, status, kind, detail, null);
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail,
			Duration retryAfter) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(new IllegalStateException("response already committed; cannot write " + kind));
		}
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", TYPE_BASE + kind);
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", clientPath(exchange));
		String requestId = exchange.getAttribute(RequestIdFilter.ATTRIBUTE);
		if (requestId != null) {
			problem.put("requestId", requestId);
		}
		byte[] body = this.jsonMapper.writeValueAsBytes(problem);
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(body.length);
		if (retryAfter != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** The path the client asked for, not where routing (StripPrefix, a fallback forward) took it. */
	private static String clientPath(ServerWebExchange exchange) {
		Set<URI> original = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
		if (original != null && !original.isEmpty()) {
			return original.iterator().next().getRawPath();
		}
		return exchange.getRequest().getPath().value();
	}

}
