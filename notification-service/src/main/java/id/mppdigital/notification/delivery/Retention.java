package id.mppdigital.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import id.mppdigital.defaults.jobs.SerialJob;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What a message said is kept only as long as it may be needed
 * ({@code mpp.notification.retention.message-bodies}, 30 days by default): then the text and subject of
 * every delivery that ended (sent, delivered, failed for good) are removed, the record of who was told
 * what, when and how is kept. The embedded store has no TTL indexes, so a job does it, hourly; it also
 * forgets the provider receipts' signatures once a replay of them would be too old anyway.
 */
@Component
class Retention {

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final Duration bodies;

	private final SerialJob job = new SerialJob("Removing old message bodies", this::remove);

	Retention(ReactiveMongoTemplate mongo, Clock clock,
			@Value("${mpp.notification.retention.message-bodies:30d}") Duration bodies) {
		this.mongo = mongo;
		this.clock = clock;
		this.bodies = bodies;
	}

	@Scheduled(fixedDelayString = "${mpp.notification.retention.interval:1h}", initialDelayString = "1m")
	Mono<Void> scheduled() {
		return this.job.run();
	}

	/** Removes the bodies of the deliveries that ended before the retention; the count removed. */
	Mono<Long> removeNow() {
		return removeBefore(this.clock.instant().minus(this.bodies));
	}

	private Mono<Void> remove() {
		// and the receipt signatures seen: past twice the tolerance, a replay fails its timestamp anyway
		Query old = Query.query(Criteria.where("at").lt(this.clock.instant()
			.minus(id.mppdigital.defaults.webhooks.WebhookSignatures.TOLERANCE.multipliedBy(2))));
		return removeNow().then(this.mongo.remove(old, ProviderReceipts.Seen.class)).then();
	}

	private Mono<Long> removeBefore(Instant before) {
		Query ended = Query.query(Criteria.where("status")
			.in(Delivery.Status.SENT, Delivery.Status.DELIVERED, Delivery.Status.FAILED)
			.and("createdAt").lt(before)
			.and("text").exists(true));
		return this.mongo.updateMulti(ended, new Update().unset("text").unset("subject").unset("variables"), Delivery.class)
			.map(result -> result.getModifiedCount());
	}

}
