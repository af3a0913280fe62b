package id.mppdigital.problems;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Turns every error that escapes the controllers and filters (no handler, a limit exceeded while
 * streaming, a bug) into problem+json with the request id — never Boot's own JSON shape, never a
 * stack trace. Runs before Boot's default handler.
 */
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProblemExceptionHandler.class);

	private final ProblemWriter problems;

	ProblemExceptionHandler(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		if (ex instanceof DataBufferLimitException) {
			return this.problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "content-too-large",
					"The request body is larger than this API accepts.");
		}
		HttpStatus status = (ex instanceof ResponseStatusException rse)
				? HttpStatus.resolve(rse.getStatusCode().value()) : null;
		if (status != null && status.is4xxClientError()) {
			return this.problems.write(exchange, status, Problems.kind(status.value()),
					clientDetail((ResponseStatusException) ex));
		}
		if (status == null || !status.is5xxServerError()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		logger.error("Request " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + " ("
				+ RequestId.of(exchange) + ") failed", ex);
		return this.problems.write(exchange, status, Problems.kind(status.value()),
				"The request could not be completed. Quote the requestId when you report it.");
	}

	private static String clientDetail(ResponseStatusException ex) {
		if (ex.getStatusCode().value() == 404) {
			return "There is no API at this path.";
		}
		return (ex.getReason() != null) ? ex.getReason() : HttpStatus.valueOf(ex.getStatusCode().value()).getReasonPhrase();
	}

}
