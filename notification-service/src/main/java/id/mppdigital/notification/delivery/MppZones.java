package id.mppdigital.notification.delivery;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import id.mppdigital.defaults.MppTime;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Each MPP's time zone, as the catalog says ({@code GET /mpps/{id}} through the registry, behind a
 * circuit breaker), for the citizens' quiet hours: asked once per MPP and kept (an MPP does not move).
 * While the catalog cannot answer for an MPP never asked before, Western Indonesian Time (WIB, where
 * most MPPs are) serves for that message, and the catalog is asked again for the next.
 */
@Component
class MppZones {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MppZones.class);

	/** The zone when the catalog cannot say. */
	static final ZoneId FALLBACK = ZoneId.of("Asia/Jakarta");

	record MppAnswer(String id, String timeZone) {
	}

	private final WebClient catalog;

	private final ReactiveCircuitBreaker breaker;

	private final Map<String, ZoneId> known = new ConcurrentHashMap<>();

	MppZones(WebClient.Builder builder, ReactorLoadBalancerExchangeFilterFunction loadBalancer,
			ReactiveCircuitBreakerFactory<?, ?> breakers,
			@Value("${mpp.notification.catalog-url:http://service-catalog}") String catalogUrl) {
		this.catalog = builder.clone().baseUrl(catalogUrl).filter(loadBalancer).build();
		this.breaker = breakers.create("service-catalog");
	}

	/** The MPP's zone; {@link #FALLBACK} for no MPP, or while the catalog cannot say. */
	Mono<ZoneId> of(String mppId) {
		if (mppId == null) {
			return Mono.just(FALLBACK);
		}
		ZoneId held = this.known.get(mppId);
		if (held != null) {
			return Mono.just(held);
		}
		Mono<ZoneId> asked = this.catalog.get()
			.uri("/mpps/{id}", mppId)
			.retrieve()
			.bodyToMono(MppAnswer.class)
			.timeout(Duration.ofSeconds(3))
			.filter(answer -> answer.timeZone() != null && answer.timeZone().matches(MppTime.ZONE_PATTERN))
			.map(answer -> ZoneId.of(answer.timeZone()))
			.doOnNext(zone -> this.known.put(mppId, zone));
		return this.breaker.run(asked, failure -> {
			log.info("The time zone of MPP {} is not known yet ({}); WIB serves for now", mppId, failure.toString());
			return Mono.empty();
		}).defaultIfEmpty(FALLBACK);
	}

}
