package id.mppdigital.application.applications;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A citizen's application (permohonan) under one published version of a service standard, at one
 * MPP, decided by the standard's agency.
 *
 * @param id the tracking number the citizen is given
 * @param applicant the citizen's subject (from the token, never from the request)
 * @param form the form as submitted, JSON text (valid against the version's schema)
 * @param history every state the application went through, oldest first
 * @param dueDate the last working day the agency has (processing time of the version, in working
 * days of the MPP, counted from the day of submission there)
 * @param receiptCode the verification code printed on the citizen's receipt: with the tracking
 * number, anyone can check the receipt is genuine (random, 80 bits)
 * @param eventSent whether Kafka acknowledged {@code mpp.application.submitted.v1} for it (the outbox
 * mark, written with the application itself)
 * @param stateEventSent false while {@code mpp.application.state-changed.v1} for its latest state
 * waits for Kafka (written with each state change)
 * @param revision {@code <id>@<steps in the history>}, changed by every write that adds a step: a
 * conditional write names the revision it read ({@link #revisionOf}), one key under a unique index,
 * so that the store finds the document by index instead of reading every application (the embedded
 * store uses an index only for a query on its key alone); absent on applications stored before
 */
@Document("applications")
record Application(@Id String id, String applicant, String mppId, String standardId, int standardVersion,
		String agencyId, String form, State state, List<Step> history, Instant submittedAt, LocalDate dueDate,
		String agencyReference, String receiptCode, boolean eventSent, boolean stateEventSent, List<String> reports,
		Instant lastReportAt, Integer lastReportSequence, String revision) {

	/** The revision of an application with that many steps in its history. */
	static String revisionOf(String id, int steps) {
		return id + "@" + steps;
	}

	/**
	 * The query that finds this application only as it was read (no step added since): by its
	 * revision where it has one.
	 */
	Criteria unchanged() {
		return (this.revision != null) ? Criteria.where("revision").is(this.revision)
				: Criteria.where("_id").is(this.id).and("history").size(this.history.size());
	}

	/** How many applied report ids an application remembers (a repeat of an older one is also late). */
	static final int REMEMBERED_REPORTS = 200;

	Application {
		reports = (reports == null) ? List.of() : List.copyOf(reports);
	}

	/**
	 * Where an application stands. What agencies really report: received in their system (with their
	 * reference), in process, needs revision (the citizen must fix something), approved or rejected
	 * (with the reason), completed (the product is issued); the applicant may withdraw it while it is
	 * open. The last three are final.
	 */
	public enum State {

		SUBMITTED, RECEIVED, IN_PROCESS, NEEDS_REVISION, APPROVED, COMPLETED, REJECTED, WITHDRAWN;

		/** Where an application may go from here. */
		Set<State> next() {
			return switch (this) {
				case SUBMITTED -> Set.of(RECEIVED, IN_PROCESS, NEEDS_REVISION, APPROVED, REJECTED, WITHDRAWN);
				case RECEIVED -> Set.of(IN_PROCESS, NEEDS_REVISION, APPROVED, REJECTED, WITHDRAWN);
				case IN_PROCESS -> Set.of(NEEDS_REVISION, APPROVED, COMPLETED, REJECTED, WITHDRAWN);
				case NEEDS_REVISION -> Set.of(IN_PROCESS, APPROVED, REJECTED, WITHDRAWN);
				case APPROVED -> Set.of(COMPLETED);
				case COMPLETED, REJECTED, WITHDRAWN -> Set.of();
			};
		}

		boolean isFinal() {
			return next().isEmpty();
		}

	}

	/** The step that set the current state: the newest one that was not recorded as late. */
	Step current() {
		for (int i = this.history.size() - 1; i >= 0; i--) {
			if (!this.history.get(i).wasLate()) {
				return this.history.get(i);
			}
		}
		return this.history.get(0);
	}

	/** One thing the citizen must fix, as the agency said it. */
	public record Revision(String field, String message) {
	}

	/**
	 * @param by the subject of whoever moved it (citizen, officer, agency system, or the agency itself
	 * through its adapter: {@code agency:<agencyId>})
	 * @param role the role they acted in
	 * @param reportId the report it came from (an agency's id, or the API request's Idempotency-Key)
	 * @param late true when the report was older than the state the application already had: kept
	 * for the record, it did not move the application
	 * @param reason why it was rejected
	 * @param revision what the citizen must fix
	 * @param collection where the product is collected
	 * @param via how it came: {@code api}, or the agency's channel ({@code kafka}, {@code rest},
	 * {@code soap}, {@code file})
	 */
	public record Step(State state, Instant at, String by, String role, String note, String reportId, Boolean late,
			String reason, List<Revision> revision, String collection, String via) {

		static Step of(State state, Instant at, String by, String role, String note) {
			return new Step(state, at, by, role, note, null, null, null, null, null, "api");
		}

		boolean wasLate() {
			return Boolean.TRUE.equals(this.late);
		}

	}

}
