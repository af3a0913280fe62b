package id.mppdigital.catalog.offering;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import id.mppdigital.catalog.counter.Counter;
import id.mppdigital.catalog.counter.CounterChanges;
import id.mppdigital.defaults.jobs.SerialJob;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every MPP's offerings (and which counter serves each service) in memory, so listing and searching an MPP's services never waits for the
 * database (the embedded store scans a collection for every query). Reloaded at start, after each
 * change made here, and every {@code mpp.catalog.search-refresh} (changes made by other instances).
 */
@Component
class OfferingCache implements CounterChanges {

	private final OfferingRepository offerings;

	private final ReactiveMongoTemplate mongo;

	private final SerialJob reloads = new SerialJob("Loading offerings and counters", this::reload);

	private volatile Map<String, Map<String, Offering>> byMpp = Map.of();

	private volatile Map<String, Map<String, Counter>> countersByMpp = Map.of();

	OfferingCache(OfferingRepository offerings, ReactiveMongoTemplate mongo) {
		this.offerings = offerings;
		this.mongo = mongo;
	}

	/** The counter serving each service at the MPP, by standard id. */
	Map<String, Counter> counters(String mppId) {
		return this.countersByMpp.getOrDefault(mppId, Map.of());
	}

	/** What the MPP offers, by standard id (empty for an MPP that offers nothing). */
	Map<String, Offering> of(String mppId) {
		return this.byMpp.getOrDefault(mppId, Map.of());
	}

	/** After a change of offerings or counters: completes once this cache shows it (never two loads at once). */
	Mono<Void> refresh() {
		return this.reloads.run();
	}

	private Mono<Void> reload() {
		Mono<Void> offerings = this.offerings.findAll().collectList().doOnNext(all -> {
			Map<String, Map<String, Offering>> grouped = new HashMap<>();
			all.forEach(offering -> grouped.computeIfAbsent(offering.mppId(), mpp -> new HashMap<>())
				.put(offering.standardId(), offering));
			this.byMpp = Map.copyOf(grouped);
		}).then();
		Mono<Void> counters = this.mongo.findAll(Counter.class).collectList().doOnNext(all -> {
			Map<String, Map<String, Counter>> grouped = new HashMap<>();
			all.stream()
				.sorted(Comparator.comparingInt(Counter::number))
				.forEach(counter -> counter.standardIds()
					.forEach(standard -> grouped.computeIfAbsent(counter.mppId(), mpp -> new HashMap<>())
						.putIfAbsent(standard, counter)));
			this.countersByMpp = Map.copyOf(grouped);
		}).then();
		return offerings.then(counters);
	}

	/** Counters changed: the counter serving each service shows as soon as this completes. */
	@Override
	public Mono<Void> countersChanged() {
		return refresh();
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStart() {
		this.reloads.trigger();
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.search-refresh:30s}", initialDelayString = "${mpp.catalog.search-refresh:30s}")
	Mono<Void> periodically() {
		return this.reloads.run();
	}

}
