package id.mppdigital.queue.tickets;

import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Counters in the store, each moved by one atomic increment on its {@code _id} (the store answers it
 * from the primary key, whatever else the collection holds): a queue's daily sequence, a service's
 * daily quota, a citizen's active tickets. A limited count is taken by incrementing first and giving
 * back when the result is over the limit, so that concurrent takers never get more than the limit
 * between them.
 */
@Component
class Counts {

	@Document("counts")
	record Count(@Id String id, long value) {
	}

	private final ReactiveMongoTemplate mongo;

	Counts(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** The count after adding {@code by}, starting from 0. */
	Mono<Long> add(String key, long by) {
		return this.mongo.findAndModify(Query.query(Criteria.where("_id").is(key)), new Update().inc("value", by),
				FindAndModifyOptions.options().upsert(true).returnNew(true), Count.class)
			.map(Count::value);
	}

	/** Takes one of {@code limit}: true when taken, false (and nothing taken) when all are. */
	Mono<Boolean> take(String key, long limit) {
		return add(key, 1).flatMap(after -> after <= limit ? Mono.just(true) : add(key, -1).thenReturn(false));
	}

	/**
	 * Takes one of {@code limit} and notes the key in {@code taken} (to give back if a later step
	 * fails), or fails with {@code refused} and takes nothing.
	 */
	Mono<Void> take(String key, long limit, java.util.List<String> taken,
			java.util.function.Supplier<? extends RuntimeException> refused) {
		return take(key, limit).flatMap(free -> {
			if (!free) {
				return Mono.error(refused.get());
			}
			taken.add(key);
			return Mono.<Void>empty();
		});
	}

	/** The counts of some keys at once; a key never counted is missing. */
	Mono<java.util.Map<String, Long>> values(java.util.Collection<String> keys) {
		return this.mongo.find(Query.query(Criteria.where("_id").in(keys)), Count.class)
			.collectMap(Count::id, Count::value);
	}

	/** Gives one back. */
	Mono<Void> release(String key) {
		return add(key, -1).then();
	}

}
