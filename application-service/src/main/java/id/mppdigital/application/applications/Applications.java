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

	private final Reports reports;

	private final Clock clock;

	Applications(ReactiveMongoTemplate mongo, Submissions submissions, ApplicationEvents events,
			ApplicationCounts counts, Reports reports, Clock clock) {
		this.mongo = mongo;
		this.submissions = submissions;
		this.events = events;
		this.counts = counts;
		this.reports = reports;
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
	 * ({@link ApplicationAccess#roleToMove}). Through the same rules as an agency's report
	 * ({@link Reports}): with an {@code Idempotency-Key} a repeated request is applied once; an illegal
	 * move is a 409.
	 */
	Mono<Application> move(Caller caller, String id, ChangeRequest change) {
		caller.requireAnyRole(Caller.OFFICER, Caller.AGENCY_SYSTEM, Caller.CITIZEN);
		return this.mongo.findById(id, Application.class)
			.switchIfEmpty(Mono.error(() -> ApplicationAccess.notFound(id)))
			.flatMap(application -> {
				String role = ApplicationAccess.roleToMove(caller, application, change.state(), change.agencyReference());
				// what the citizen is owed with these two (asked only of those who may make them)
				// a rejection's note is its reason when no reason is given
				String reason = (change.state() == State.REJECTED && isBlank(change.reason())) ? change.note()
						: change.reason();
				if (change.state() == State.REJECTED && isBlank(reason)) {
					return Mono.error(Problems.invalid("reason", "say why the application is rejected"));
				}
				if (change.state() == State.NEEDS_REVISION && (change.revision() == null || change.revision().isEmpty())) {
					return Mono.error(Problems.invalid("revision", "say what the citizen must fix"));
				}
				Reports.Report report = new Reports.Report(
						change.idempotencyKey() == null ? null : "api:" + caller.subject() + ":" + change.idempotencyKey(),
						id, null, change.state(), this.clock.instant(), null, caller.subject(), role, change.note(),
						change.agencyReference(), reason, change.revision(), change.collection(), "api");
				return this.reports.apply(report)
					.onErrorMap(Reports.Refused.class, refused -> refused.why() == Reports.Refused.Why.ILLEGAL
							? Problems.conflict("An application that is " + application.state() + " cannot become "
									+ change.state() + "; it can become " + application.state().next() + ".")
							: ApplicationAccess.notFound(id))
					.onErrorMap(IllegalStateException.class,
							busy -> Problems.conflict("The application was changed meanwhile; read it again."))
					.map(applied -> this.counts.counted(applied.application()));
			});
	}

	private static boolean isBlank(String text) {
		return text == null || text.isBlank();
	}

	/** What an officer, agency system or applicant asks for over the API. */
	record ChangeRequest(State state, String note, String agencyReference, String reason,
			List<Application.Revision> revision, String collection, String idempotencyKey) {
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
