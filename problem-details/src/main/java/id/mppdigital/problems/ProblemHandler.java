package id.mppdigital.problems;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error of a controller as {@code application/problem+json} with a stable {@code type}, the
 * client's path and the request id ({@link ProblemWriter#complete}); request validation lists each
 * offending field in {@code errors} so a form can show it in place.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			ServerWebExchange exchange) {
		if (body instanceof ProblemDetail problem) {
			ProblemWriter.complete(problem, exchange);
			// whatever the client accepts (an event stream, say): an error is always a problem document
			HttpHeaders problemHeaders = new HttpHeaders();
			problemHeaders.putAll(headers);
			problemHeaders.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
			return super.createResponseEntity(body, problemHeaders, status, exchange);
		}
		return super.createResponseEntity(body, headers, status, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Problems.FieldError> errors = new ArrayList<>();
		ex.getFieldErrors().forEach(error -> errors.add(new Problems.FieldError(error.getField(), error.getDefaultMessage())));
		ex.getGlobalErrors().forEach(error -> errors.add(new Problems.FieldError("", error.getDefaultMessage())));
		return invalid(errors, headers, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Problems.FieldError> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors body) {
				// a request body: its fields by their path in the JSON
				body.getFieldErrors()
					.forEach(error -> errors.add(new Problems.FieldError(error.getField(), error.getDefaultMessage())));
				continue;
			}
			String name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach(error -> errors.add(new Problems.FieldError(name == null ? "" : name, error.getDefaultMessage())));
		}
		return invalid(errors, headers, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		// unreadable JSON, wrong types, bad enum values: say which field and what it accepts, without internals
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException json) {
				return invalid(new ArrayList<>(List.of(StrictJson.describe(json))), headers, exchange);
			}
		}
		String reason = ex.getReason() == null ? "The request could not be read." : ex.getReason();
		return createResponseEntity(Problems.detail(HttpStatus.BAD_REQUEST, "invalid-request", reason, List.of()), headers,
				HttpStatus.BAD_REQUEST, exchange);
	}

	private Mono<ResponseEntity<Object>> invalid(List<Problems.FieldError> errors, HttpHeaders headers,
			ServerWebExchange exchange) {
		errors.sort((a, b) -> a.field().compareTo(b.field()));
		return createResponseEntity(
				Problems.detail(HttpStatus.BAD_REQUEST, "invalid-request", "Some fields are invalid.", errors), headers,
				HttpStatus.BAD_REQUEST, exchange);
	}

}
