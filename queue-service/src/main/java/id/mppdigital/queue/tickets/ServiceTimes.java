package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * How long a ticket of a queue takes at the counter, from the call to the end of its service: the
 * last {@value #KEPT} services of each queue at each MPP, kept by one atomic push, and until there
 * are {@value #ENOUGH} a configured default.
 */
@Component
class ServiceTimes {

	static final int KEPT = 30;

	static final int ENOUGH = 3;

	@Document("service_times")
	record Recent(@Id String id, List<Long> seconds) {
	}

	/** The mean and spread of a queue's recent services, and how many they are (0: the default). */
	record Stats(Duration mean, Duration spread, int samples) {
	}

	private final ReactiveMongoTemplate mongo;

	private final Duration fallback;

	ServiceTimes(ReactiveMongoTemplate mongo, @Value("${mpp.queue.default-service-time:5m}") Duration fallback) {
		this.mongo = mongo;
		this.fallback = fallback;
	}

	Mono<Void> record(Ticket done) {
		if (done.calledAt() == null || done.endedAt() == null) {
			return Mono.empty();
		}
		long seconds = Duration.between(done.calledAt(), done.endedAt()).toSeconds();
		return this.mongo.findAndModify(Query.query(Criteria.where("_id").is(key(done.mppId(), done.queue()))),
				new Update().push("seconds").slice(-KEPT).each(seconds), FindAndModifyOptions.options().upsert(true),
				Recent.class)
			.then();
	}

	Mono<Stats> of(String mppId, String queue) {
		return this.mongo.findById(key(mppId, queue), Recent.class)
			.filter(recent -> recent.seconds() != null && recent.seconds().size() >= ENOUGH)
			.map(recent -> {
				double mean = recent.seconds().stream().mapToLong(Long::longValue).average().orElse(0);
				double variance = recent.seconds().stream().mapToDouble(s -> (s - mean) * (s - mean)).sum()
						/ recent.seconds().size();
				return new Stats(Duration.ofSeconds(Math.round(mean)), Duration.ofSeconds(Math.round(Math.sqrt(variance))),
						recent.seconds().size());
			})
			.defaultIfEmpty(new Stats(this.fallback, this.fallback.dividedBy(2), 0));
	}

	private static String key(String mppId, String queue) {
		return mppId + "|" + queue;
	}

}
