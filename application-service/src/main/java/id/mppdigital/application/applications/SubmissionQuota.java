package id.mppdigital.application.applications;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;

import id.mppdigital.defaults.MppTime;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * How many applications one citizen may submit for one service in one day (WIB calendar), counted
 * exactly under any concurrency: a citizen's counter is raised only while it is below the limit, in
 * one atomic update. Against scripted floods of one service in one name, which the gateway's
 * per-minute rate limit alone lets through at 120 a minute; repeats of one submission (the same
 * {@code Idempotency-Key}) are not counted again.
 */
@Component
class SubmissionQuota {

	static final String COLLECTION = "submission-quotas";

	/** One citizen's count for one service on one day. */
	@Document(COLLECTION)
	record Count(@Id String id, int count, LocalDate day) {
	}

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final int perServicePerDay;

	SubmissionQuota(ReactiveMongoTemplate mongo, Clock clock,
			@Value("${mpp.application.daily-submissions-per-service:5}") int perServicePerDay) {
		this.mongo = mongo;
		this.clock = clock;
		this.perServicePerDay = perServicePerDay;
	}

	int perServicePerDay() {
		return this.perServicePerDay;
	}

	/** Counts one more submission, or 429 when the citizen reached today's limit for this service. */
	Mono<Void> take(String citizen, String standardId) {
		LocalDate today = MppTime.nationalToday(this.clock);
		String id = today + "\n" + standardId + "\n" + citizen;
		Query belowLimit = Query.query(Criteria.where("_id").is(id).and("count").lt(this.perServicePerDay));
		return this.mongo
			.findAndModify(belowLimit, new Update().inc("count", 1).setOnInsert("day", today),
					FindAndModifyOptions.options().upsert(true).returnNew(true), Count.class)
			// at the limit the query matches nothing, and the upsert collides with the existing count
			.onErrorMap(DuplicateKeyException.class, full -> Problems.tooMany("You have submitted "
					+ this.perServicePerDay + " applications for '" + standardId
					+ "' today, as many as one person may in a day; you can apply again tomorrow.", untilTomorrow(today)))
			.then();
	}

	private Duration untilTomorrow(LocalDate today) {
		ZonedDateTime midnight = today.plusDays(1).atStartOfDay(MppTime.NATIONAL);
		return Duration.between(this.clock.instant(), midnight.toInstant());
	}

}
