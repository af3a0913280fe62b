package id.mppdigital.catalog.offering;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every MPP's offerings in memory, so listing and searching an MPP's services never waits for the
 * database (the embedded store scans a collection for every query). Reloaded at start, after each
 * change made here, and every {@code mpp.catalog.search-refresh} (changes made by other instances).
 */
@Component
class OfferingCache {

	private static final Logger log = LoggerFactory.getLogger(OfferingCache.class);

	private final OfferingRepository offerings;

	private volatile Map<String, Map<String, Offering>> byMpp = Map.of();

	OfferingCache(OfferingRepository offerings) {
		this.offerings = offerings;
	}

	/** What the MPP offers, by standard id (empty for an MPP that offers nothing). */
	Map<String, Offering> of(String mppId) {
		return this.byMpp.getOrDefault(mppId, Map.of());
	}

	Mono<Void> reload() {
		return this.offerings.findAll().collectList().doOnNext(all -> {
			Map<String, Map<String, Offering>> grouped = new HashMap<>();
			all.forEach(offering -> grouped.computeIfAbsent(offering.mppId(), mpp -> new HashMap<>())
				.put(offering.standardId(), offering));
			this.byMpp = Map.copyOf(grouped);
		}).then();
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStart() {
		reload().subscribe(null, ex -> log.warn("Loading offerings failed: {}", ex.toString()));
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.search-refresh:30s}", initialDelayString = "${mpp.catalog.search-refresh:30s}")
	Mono<Void> periodically() {
		return Mono.defer(this::reload).onErrorResume(ex -> {
			log.warn("Reloading offerings failed: {}", ex.toString());
			return Mono.empty();
		});
	}

}
