package id.mppdigital.application.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * What a submission needs to know from the catalog at the moment it is made: that the MPP offers the
 * service, and when the application is due — the MPP's working-day calendar (weekends, national and
 * local holidays, its time zone). Asked over HTTP through the registry, behind a circuit breaker,
 * with answers kept for a while (an MPP's zone for an hour, a due date ten minutes, an offering a
 * minute). The standard itself comes from the catalog's events ({@code StandardReplica}).
 * <p>
 * An MPP the catalog does not know, or a service it does not offer there, is a {@code 422}; a catalog
 * that cannot answer makes the submission a {@code 503} with {@code Retry-After}: nothing is accepted
 * unchecked, and the app repeats the request with its idempotency key.
 */
@Component
public class Catalog {

	/** What the catalog says about an MPP that matters here. */
	record Mpp(String id, String timeZone) {
	}

	/** The catalog's answer to "add N working days". */
	record Addition(LocalDate from, int workingDays, LocalDate date) {
	}

	private final WebClient catalog;

	private final ReactiveCircuitBreaker breaker;

	private final AsyncCache<String, ZoneId> zones = Caffeine.newBuilder()
		.maximumSize(1_000)
		.expireAfterWrite(Duration.ofHours(1))
		.buildAsync();

	private final AsyncCache<String, LocalDate> dueDates = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(10))
		.buildAsync();

	private final AsyncCache<String, Boolean> offerings = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		.buildAsync();

	Catalog(WebClient.Builder builder, ReactorLoadBalancerExchangeFilterFunction loadBalancer,
			ReactiveCircuitBreakerFactory<?, ?> breakers,
			@Value("${mpp.application.catalog-url:http://service-catalog}") String catalogUrl) {
		// the host is the registry name: an instance is picked per call
		this.catalog = builder.baseUrl(catalogUrl).filter(loadBalancer).build();
		this.breaker = breakers.create("service-catalog");
	}

	/** Completes when the MPP offers the service; a {@code 422} on {@code standardId} when it does not. */
	public Mono<Void> requireOffered(String mppId, String standardId) {
		return zone(mppId)
			.then(Mono.fromFuture(this.offerings.get(mppId + "|" + standardId, (key, executor) -> ask(this.catalog.get()
				.uri("/mpps/{id}/services/{standard}", mppId, standardId)
				.retrieve()
				.toBodilessEntity()
				.thenReturn(true), "standardId", "is not offered at this MPP").toFuture())))
			.then();
	}

	/** The day {@code workingDays} working days after the submission day at the MPP. */
	public Mono<LocalDate> dueDate(String mppId, Instant submittedAt, int workingDays) {
		return zone(mppId).flatMap(zone -> {
			LocalDate from = LocalDate.ofInstant(submittedAt, zone);
			return Mono.fromFuture(this.dueDates.get(mppId + "|" + from + "|" + workingDays,
					(key, executor) -> ask(this.catalog.get()
						.uri("/mpps/{id}/working-days?from={from}&add={add}", mppId, from, workingDays)
						.retrieve()
						.bodyToMono(Addition.class)
						.map(Addition::date), "mppId", "is not an MPP in the catalog").toFuture()));
		});
	}

	private Mono<ZoneId> zone(String mppId) {
		return Mono.fromFuture(this.zones.get(mppId, (key, executor) -> ask(this.catalog.get()
			.uri("/mpps/{id}", mppId)
			.retrieve()
			.bodyToMono(Mpp.class)
			.map(mpp -> ZoneId.of(mpp.timeZone())), "mppId", "is not an MPP in the catalog").toFuture()));
	}

	/**
	 * One call to the catalog. A 404 is the caller's mistake in {@code field} (and an answer, not a
	 * failure for the breaker); anything else is the catalog's.
	 */
	private <T> Mono<T> ask(Mono<T> call, String field, String notFound) {
		Mono<Optional<T>> answered = call.map(Optional::of)
			.onErrorResume(WebClientResponseException.NotFound.class, missing -> Mono.just(Optional.empty()));
		return this.breaker.run(answered, failure -> Mono.error(unavailable()))
			.flatMap(found -> found.map(Mono::just)
				.orElseGet(() -> Mono.error(Problems.unprocessable(field, notFound))));
	}

	private static ErrorResponseException unavailable() {
		ErrorResponseException problem = Problems.unavailable(
				"The catalog cannot confirm the MPP, the service or its calendar right now; try again shortly.");
		problem.getHeaders().set("Retry-After", "10");
		return problem;
	}

}
