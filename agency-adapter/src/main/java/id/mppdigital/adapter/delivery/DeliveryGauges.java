package id.mppdigital.adapter.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What an operator watches per agency, counted from the store every 15 s (so they survive a restart
 * and agree between instances): {@code mpp_adapter_undelivered{agency}} waiting or retrying,
 * {@code mpp_adapter_refused{agency}} waiting for an operator, {@code mpp_adapter_oldest_undelivered_seconds{agency}}
 * and {@code mpp_adapter_last_delivery_seconds{agency}} (since the agency last took one; absent
 * until it has).
 */
@Component
class DeliveryGauges {

	private final ReactiveMongoTemplate mongo;

	private final AgencyProperties properties;

	private final Clock clock;

	private final MultiGauge undelivered;

	private final MultiGauge refused;

	private final MultiGauge oldest;

	private final MultiGauge lastDelivery;

	private final SerialJob recount = new SerialJob("Counting deliveries", this::count);

	DeliveryGauges(ReactiveMongoTemplate mongo, AgencyProperties properties, Clock clock, MeterRegistry meters) {
		this.mongo = mongo;
		this.properties = properties;
		this.clock = clock;
		this.undelivered = MultiGauge.builder("mpp.adapter.undelivered")
			.description("Applications not yet taken by their agency (waiting or retrying)").register(meters);
		this.refused = MultiGauge.builder("mpp.adapter.refused")
			.description("Applications the agency refused, waiting for an operator").register(meters);
		this.oldest = MultiGauge.builder("mpp.adapter.oldest.undelivered").baseUnit("seconds")
			.description("Age of the oldest application not yet taken by its agency").register(meters);
		this.lastDelivery = MultiGauge.builder("mpp.adapter.last.delivery").baseUnit("seconds")
			.description("Time since the agency last took an application").register(meters);
	}

	@Scheduled(fixedDelayString = "${mpp.adapter.gauge-interval:15s}", initialDelayString = "5s")
	Mono<Void> refresh() {
		return this.recount.run();
	}

	/** One agency's figures; {@code sinceLastDelivery} is negative before its first delivery. */
	private record Figures(String agencyId, long undelivered, long refused, double oldest, double sinceLastDelivery) {
	}

	private Mono<Void> count() {
		Instant now = this.clock.instant();
		return Flux.fromIterable(this.properties.agencies().keySet())
			.concatMap(agencyId -> Mono.zip(count(agencyId, Delivery.State.PENDING), count(agencyId, Delivery.State.REFUSED),
					first(agencyId, Delivery.State.PENDING, Sort.by("submittedAt"))
						.map(waiting -> age(now, waiting.submittedAt()))
						.defaultIfEmpty(0.0),
					first(agencyId, Delivery.State.DELIVERED, Sort.by(Sort.Direction.DESC, "deliveredAt"))
						.map(delivered -> age(now, delivered.deliveredAt()))
						.defaultIfEmpty(-1.0))
				.map(found -> new Figures(agencyId, found.getT1(), found.getT2(), found.getT3(), found.getT4())))
			.collectList()
			.doOnNext(this::publish)
			.then();
	}

	private void publish(List<Figures> all) {
		List<MultiGauge.Row<?>> undelivered = new ArrayList<>();
		List<MultiGauge.Row<?>> refused = new ArrayList<>();
		List<MultiGauge.Row<?>> oldest = new ArrayList<>();
		List<MultiGauge.Row<?>> last = new ArrayList<>();
		for (Figures figures : all) {
			Tags agency = Tags.of("agency", figures.agencyId());
			undelivered.add(MultiGauge.Row.of(agency, figures.undelivered()));
			refused.add(MultiGauge.Row.of(agency, figures.refused()));
			oldest.add(MultiGauge.Row.of(agency, figures.oldest()));
			if (figures.sinceLastDelivery() >= 0) {
				last.add(MultiGauge.Row.of(agency, figures.sinceLastDelivery()));
			}
		}
		this.undelivered.register(undelivered, true);
		this.refused.register(refused, true);
		this.oldest.register(oldest, true);
		this.lastDelivery.register(last, true);
	}

	private Mono<Long> count(String agencyId, Delivery.State state) {
		return this.mongo.count(Query.query(Criteria.where("agencyId").is(agencyId).and("state").is(state)), Delivery.class);
	}

	private Mono<Delivery> first(String agencyId, Delivery.State state, Sort sort) {
		Query query = Query.query(Criteria.where("agencyId").is(agencyId).and("state").is(state)).with(sort).limit(1);
		query.fields().exclude("payload");
		return this.mongo.findOne(query, Delivery.class);
	}

	private static double age(Instant now, Instant then) {
		return (then == null) ? 0.0 : Math.max(0, Duration.between(then, now).toMillis() / 1000.0);
	}

}
