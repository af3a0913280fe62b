package id.mppdigital.adapter.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
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

	/**
	 * One pass over the deliveries (without their payload) for every agency's figures: the store has
	 * no index to answer a count per agency and state, so four queries per agency would each read
	 * every delivery.
	 */
	private Mono<Void> count() {
		Instant now = this.clock.instant();
		Query everything = new Query();
		everything.fields().exclude("payload");
		Map<String, Tally> tallies = new LinkedHashMap<>();
		this.properties.agencies().keySet().forEach(agencyId -> tallies.put(agencyId, new Tally()));
		return this.mongo.find(everything, Delivery.class)
			.doOnNext(delivery -> {
				Tally tally = tallies.get(delivery.agencyId());
				if (tally != null) {
					tally.add(delivery);
				}
			})
			.then(Mono.fromRunnable(() -> publish(tallies.entrySet().stream()
				.map(entry -> entry.getValue().figures(entry.getKey(), now))
				.toList())));
	}

	/** One agency's deliveries as counted so far. */
	private static final class Tally {

		private long undelivered;

		private long refused;

		private Instant oldestWaiting;

		private Instant lastDelivered;

		void add(Delivery delivery) {
			if (delivery.state() == Delivery.State.PENDING) {
				this.undelivered++;
				this.oldestWaiting = earlier(this.oldestWaiting, delivery.submittedAt());
			}
			else if (delivery.state() == Delivery.State.REFUSED) {
				this.refused++;
			}
			else if (delivery.state() == Delivery.State.DELIVERED && delivery.deliveredAt() != null
					&& (this.lastDelivered == null || delivery.deliveredAt().isAfter(this.lastDelivered))) {
				this.lastDelivered = delivery.deliveredAt();
			}
		}

		Figures figures(String agencyId, Instant now) {
			return new Figures(agencyId, this.undelivered, this.refused,
					(this.oldestWaiting == null) ? 0.0 : age(now, this.oldestWaiting),
					(this.lastDelivered == null) ? -1.0 : age(now, this.lastDelivered));
		}

		private static Instant earlier(Instant one, Instant other) {
			return (one == null || (other != null && other.isBefore(one))) ? other : one;
		}

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

	private static double age(Instant now, Instant then) {
		return (then == null) ? 0.0 : Math.max(0, Duration.between(then, now).toMillis() / 1000.0);
	}

}
