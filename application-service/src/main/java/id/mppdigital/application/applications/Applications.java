package id.mppdigital.application.applications;

import java.time.Clock;
import java.util.List;

import id.mppdigital.access.Caller;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * The applications feature: submitting ({@link Submissions}, idempotent), reading, listing and moving
 * applications through their states, and checking receipts. Who may do what is decided by
 * {@link ApplicationAccess} from the caller's token and the application's applicant, MPP and agency
 * (docs/security.md); every change is one conditional write of the application document, carrying
 * its outbox mark.
 */
@Service
class Applications {

	private final ReactiveMongoTemplate mongo;

	private final Submissions submissions;

	private final ApplicationEvents events;

	private final ApplicationCounts counts;

	private final Clock clock;

	Applications(ReactiveMongoTemplate mongo, Submissions submissions, ApplicationEvents events,
			ApplicationCounts counts, Clock clock) {
		this.mongo = mongo;
		this.submissions = submissions;
		this.events = events;
		this.counts = counts;
		this.clock = clock;
	}

	/** What {@link #submit} did: created the application, or found it created by an earlier request. */
	record Submitted(Application application, boolean created) {
	}

	/** A citizen submits an application ({@link Submissions}: the same one again for a repeated key). */
	Mono<Submitted> submit(Caller caller, String mppId, String standardId, JsonNode form, String idempotencyKey) {
		caller.requireAnyRole(Caller.CITIZEN);
		return this.submissions.submit(caller, mppId, standardId, form, idempotencyKey);
	}

	/** One application, if the caller may see it ({@link ApplicationAccess#readable}). */
	Mono<Application> find(Caller caller, String id) {
		caller.requireAnyRole(Caller.CITIZEN, Caller.OFFICER, Caller.AGENCY_SYSTEM);
		return this.mongo.findById(id, Application.class)
			.switchIfEmpty(Mono.error(() -> ApplicationAccess.notFound(id)))
			.map(application -> ApplicationAccess.readable(caller, application));
	}

	/** The applications the caller works with ({@link ApplicationAccess#listable}), newest first. */
	Mono<List<Application>> list(Caller caller, State state, int page, int size) {
		Criteria criteria = ApplicationAccess.listable(caller);
		if (state != null) {
			criteria = criteria.and("state").is(state);
		}
		Query query = Query.query(criteria)
			.with(Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.asc("_id")))
			.skip((long) page * size)
			.limit(size);
		return this.mongo.find(query, Application.class).collectList();
	}

	/**
	 * Staff of the application's agency move it on; its applicant may only withdraw it
	 * ({@link ApplicationAccess#roleToMove}). The change is made only if nobody else moved it in the
	 * meantime (else 409).
	 */
	Mono<Application> move(Caller caller, String id, State next, String note, String agencyReference) {
		caller.requireAnyRole(Caller.OFFICER, Caller.AGENCY_SYSTEM, Caller.CITIZEN);
		return this.mongo.findById(id, Application.class)
			.switchIfEmpty(Mono.error(() -> ApplicationAccess.notFound(id)))
			.flatMap(application -> {
				String role = ApplicationAccess.roleToMove(caller, application, next, agencyReference);
				if (!application.state().next().contains(next)) {
					return Mono.error(Problems.conflict("An application that is " + application.state()
							+ " cannot become " + next + "; it can become " + application.state().next() + "."));
				}
				Step step = new Step(next, this.clock.instant(), caller.subject(), role, note);
				Update update = new Update().set("state", next).push("history", step).set("stateEventSent", false);
				if (agencyReference != null) {
					update.set("agencyReference", agencyReference);
				}
				Query unchanged = Query.query(Criteria.where("_id").is(id).and("state").is(application.state()));
				return this.mongo.updateFirst(unchanged, update, Application.class).flatMap(result -> result
					.getModifiedCount() == 1 ? this.mongo.findById(id, Application.class)
						.doOnNext(moved -> this.events.stateChanged())
						.map(this.counts::counted)
							: Mono.error(Problems.conflict("The application was changed meanwhile; read it again.")));
			});
	}

	/**
	 * A receipt as anyone holding it may check it (public): the application behind a tracking number
	 * and its verification code, without personal data. A wrong code answers as an unknown number.
	 */
	Mono<Application> verifyReceipt(String id, String code) {
		return this.mongo.findById(id, Application.class)
			.filter(application -> TrackingNumbers.sameReceiptCode(application.receiptCode(), code))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No receipt with this tracking number and code.")));
	}

}
