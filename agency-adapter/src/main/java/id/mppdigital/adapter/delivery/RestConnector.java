package id.mppdigital.adapter.delivery;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import id.mppdigital.adapter.agency.AgencyProperties;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * An agency with a REST API: {@code POST <endpoint>/applications} with the application as JSON and
 * the event id as {@code Idempotency-Key}, so that a repeat after an uncertain attempt (a time-out, a
 * crash before the answer was recorded) is the same application to the agency, never a second one.
 * 2xx: taken; 4xx other than 408/429: refused content; anything else, or no answer: try again.
 */
final class RestConnector implements Connector {

	private final WebClient client;

	private final Duration timeout;

	private final JsonMapper json;

	RestConnector(WebClient.Builder builder, AgencyProperties.Agency agency, JsonMapper json) {
		this.client = builder.baseUrl(agency.endpoint().toString()).build();
		this.timeout = agency.timeout();
		this.json = json;
	}

	@Override
	public Mono<Outcome> deliver(Delivery delivery) {
		return this.client.post()
			.uri("/applications")
			.header("Idempotency-Key", delivery.eventId())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(delivery.payload())
			.exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
				HttpStatusCode status = response.statusCode();
				if (status.is2xxSuccessful()) {
					return (Outcome) new Outcome.Delivered(reference(body));
				}
				String reason = "HTTP " + status.value() + ": " + abbreviated(body);
				boolean permanent = status.is4xxClientError() && status.value() != 408 && status.value() != 429;
				return permanent ? new Outcome.Refused(reason) : new Outcome.Failed(reason);
			}))
			.timeout(this.timeout)
			.onErrorResume(TimeoutException.class,
					late -> Mono.just(new Outcome.Failed("no answer within " + this.timeout.toMillis() + " ms")))
			.onErrorResume(WebClientRequestException.class,
					unreachable -> Mono.just(new Outcome.Failed("unreachable: " + unreachable.getMostSpecificCause())));
	}

	private String reference(String body) {
		try {
			JsonNode answer = this.json.readTree(body);
			String reference = answer.path("reference").asString(null);
			return (reference == null || reference.isBlank()) ? null : reference;
		}
		catch (RuntimeException notJson) {
			return null;
		}
	}

	private static String abbreviated(String body) {
		String line = body.replaceAll("\\s+", " ").strip();
		return line.length() <= 200 ? line : line.substring(0, 200) + "…";
	}

}
