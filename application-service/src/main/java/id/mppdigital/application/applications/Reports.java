package id.mppdigital.application.applications;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.application.applications.Application.Revision;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
import id.mppdigital.defaults.store.RevisionIndex;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The one way an application moves after it was submitted, whoever says so: an agency's report
 * through its adapter ({@code mpp.agency.report-accepted.v1}), an officer or the agency's system
 * over the API, the applicant withdrawing. Applied once and in order:
 * <ul>
 * <li>a report whose id was applied already changes nothing ({@link Outcome#DUPLICATE});</li>
 * <li>a report older than the newest one applied (by its time, then the agency's sequence) is kept in
 * the history, marked late, and does not move the application back ({@link Outcome#RECORDED}); so is
 * a newer report of the state the application is already in (a new note);</li>
 * <li>a report for another agency's application, for an application that does not exist, or a move
 * the lifecycle does not allow ({@link Application.State#next}) is refused ({@link Refused}).</li>
 * </ul>
 * Each change is one conditional write of the application (its state, history, outbox mark and
 * applied report ids together); when someone else changed it meanwhile, the report is tried again on
 * what is there now.
 */
@Component
class Reports {

	/** A statement that an application is now in {@code state}, with who made it and how. */
	record Report(String id, String applicationId, String agencyId, State state, Instant at, Integer sequence,
			String by, String role, String note, String agencyReference, String reason, List<Revision> revision,
			String collection, String via) {
	}

	enum Outcome {

		/** the application moved */
		APPLIED,
		/** kept in the history, the state unchanged (late, or the same state again) */
		RECORDED,
		/** the same report again: nothing changed */
		DUPLICATE

	}

	record Applied(Application application, Outcome outcome) {
	}

	/** Why a report cannot be applied: it names another agency's or no application, or an illegal move. */
	static final class Refused extends RuntimeException {

		enum Why {
			UNKNOWN, FOREIGN, ILLEGAL
		}

		private final Why why;

		Refused(Why why, String message) {
			super(message);
			this.why = why;
		}

		Why why() {
			return this.why;
		}

	}

	private static final int ATTEMPTS = 5;

	private final ReactiveMongoTemplate mongo;

	private final ApplicationEvents events;

	private final MeterRegistry meters;

	Reports(ReactiveMongoTemplate mongo, ApplicationEvents events, MeterRegistry meters) {
		this.mongo = mongo;
		this.events = events;
		this.meters = meters;
		RevisionIndex.ensure(mongo, Application.class, "revision");
	}

	Mono<Applied> apply(Report report) {
		return apply(report, ATTEMPTS)
			.doOnNext(applied -> count(report, applied.outcome().name().toLowerCase(java.util.Locale.ROOT)))
			.doOnError(Refused.class, refused -> count(report, refused.why().name().toLowerCase(java.util.Locale.ROOT)));
	}

	private Mono<Applied> apply(Report report, int attempts) {
		return this.mongo.findById(report.applicationId(), Application.class)
			.switchIfEmpty(Mono.error(() -> new Refused(Refused.Why.UNKNOWN,
					"no application " + report.applicationId())))
			.flatMap(application -> {
				if (report.agencyId() != null && !report.agencyId().equals(application.agencyId())) {
					return Mono.error(new Refused(Refused.Why.FOREIGN, "application " + application.id()
							+ " is not agency " + report.agencyId() + "'s (it is " + application.agencyId() + "'s)"));
				}
				if (report.id() != null && application.reports().contains(report.id())) {
					return Mono.just(new Applied(application, Outcome.DUPLICATE));
				}
				boolean late = isLate(application, report);
				boolean same = report.state() == application.state();
				if (!late && !same && !application.state().next().contains(report.state())) {
					return Mono.error(new Refused(Refused.Why.ILLEGAL, "an application that is " + application.state()
							+ " cannot become " + report.state() + "; it can become " + application.state().next()));
				}
				return write(application, report, late, same)
					.map(now -> new Applied(now, late || same ? Outcome.RECORDED : Outcome.APPLIED))
					.switchIfEmpty(Mono.defer(() -> (attempts > 1) ? apply(report, attempts - 1)
							: Mono.error(new IllegalStateException("application " + application.id()
									+ " keeps changing; report " + report.id() + " not applied yet"))));
			});
	}

	/** Older than the newest report applied: by its time, then (in the same instant) the agency's sequence. */
	private static boolean isLate(Application application, Report report) {
		if (application.lastReportAt() == null || report.at() == null) {
			return false;
		}
		int byTime = report.at().compareTo(application.lastReportAt());
		if (byTime != 0) {
			return byTime < 0;
		}
		return report.sequence() != null && application.lastReportSequence() != null
				&& report.sequence() <= application.lastReportSequence();
	}

	/** One conditional write: the application as written, or none when it changed since it was read. */
	private Mono<Application> write(Application application, Report report, boolean late, boolean same) {
		Step step = new Step(report.state(), report.at(), report.by(), report.role(), report.note(), report.id(),
				late ? Boolean.TRUE : null, report.reason(),
				(report.revision() == null || report.revision().isEmpty()) ? null : report.revision(),
				report.collection(), report.via());
		Update update = new Update().push("history", step);
		if (report.id() != null) {
			List<String> remembered = new ArrayList<>(application.reports());
			remembered.add(report.id());
			update.set("reports", remembered.subList(Math.max(0, remembered.size() - Application.REMEMBERED_REPORTS),
					remembered.size()));
		}
		if (!late) {
			update.set("lastReportAt", report.at()).set("lastReportSequence", report.sequence());
			if (report.agencyReference() != null) {
				update.set("agencyReference", report.agencyReference());
			}
			if (!same) {
				update.set("state", report.state()).set("stateEventSent", false);
			}
		}
		// the state is the history's: a write that found the history as read found the state as read
		update.set("revision", Application.revisionOf(application.id(), application.history().size() + 1));
		Query unchanged = Query.query(application.unchanged());
		return this.mongo.findAndModify(unchanged, update, FindAndModifyOptions.options().returnNew(true), Application.class)
			.doOnNext(written -> {
				if (!late && !same) {
					this.events.stateChanged(written);
				}
			});
	}

	private void count(Report report, String result) {
		this.meters.counter("mpp.application.reports", "via", report.via(), "result", result).increment();
	}

}
