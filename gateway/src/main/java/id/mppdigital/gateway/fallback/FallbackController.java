package id.mppdigital.gateway.fallback;

import java.util.concurrent.TimeoutException;

import id.mppdigital.gateway.system.GatewayProperties;
import id.mppdigital.problems.ProblemWriter;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.swagger.v3.oas.annotations.Hidden;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where a route's circuit breaker sends a request its service could not answer: down, too slow, or
 * cut off. The client gets a prompt 503 with {@code Retry-After} and which service failed, and
 * never a made-up answer.
 */
@Hidden
@RestController
class FallbackController {

	private static final Log logger = LogFactory.getLog(FallbackController.class);

	private final ProblemWriter problems;

	private final GatewayProperties properties;

	FallbackController(ProblemWriter problems, GatewayProperties properties) {
		this.problems = problems;
		this.properties = properties;
	}

	@RequestMapping("/fallback/{service}")
	Mono<Void> unavailable(@PathVariable String service, ServerWebExchange exchange) {
		Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
		String detail;
		if (cause instanceof TimeoutException) {
			detail = service + " did not answer within " + this.properties.downstreamTimeLimit().toMillis() + " ms.";
		}
		else if (cause instanceof CallNotPermittedException) {
			detail = service + " is failing; requests to it are paused for a while.";
		}
		else if (cause instanceof BulkheadFullException) {
			detail = service + " is at capacity; too many requests are in flight.";
		}
		else {
			detail = service + " is unavailable.";
		}
		// Why a service was unavailable is the first thing an operator asks. An open breaker or a
		// full bulkhead sends every request here for one known reason (and has its own metrics),
		// so those are not repeated in the log.
		if (cause instanceof CallNotPermittedException || cause instanceof BulkheadFullException) {
			logger.debug(service + ": " + cause.getMessage());
		}
		else {
			logger.warn(service + " unavailable for " + exchange.getRequest().getMethod() + " "
					+ exchange.getRequest().getPath() + ": " + cause);
		}
		return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", detail,
				this.properties.retryAfter());
	}

}
