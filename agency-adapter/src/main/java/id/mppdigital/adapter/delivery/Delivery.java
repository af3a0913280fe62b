package id.mppdigital.adapter.delivery;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One application on its way to its agency: this adapter's own record of where that stands, so
 * that nothing is lost or sent twice across restarts.
 *
 * @param id the application id (one delivery per application)
 * @param payload what the agency is sent (the application, with the form: personal data), kept
 * only until the agency took it
 * @param state where it stands
 * @param attempts calls made so far
 * @param nextAttemptAt when it is due (again)
 * @param lastError why the last attempt failed, for operators
 * @param agencyReference the agency's reference, once it gave one
 * @param uncertain an attempt began whose outcome is not known (it timed out, or the adapter
 * stopped during it): for an agency without idempotency key, it is looked up before it is sent again
 * @param reportedSequence for an agency that is polled: the last of its statuses passed on
 * @param nextPollAt for an agency that is polled: when it is asked again (none once its last status came)
 * @param batch for an agency that takes batches: the batch (file) it is part of, fixed once chosen,
 * so that a batch sent again is the same batch
 * @param revision {@code <id>#<attempts>} ({@code <id>#refused-<time>} once refused after delivery):
 * what a conditional write names ({@link #unchanged}), one key under a unique index
 * ({@code RevisionIndex}); absent on records stored before
 */
@Document("deliveries")
public record Delivery(@Id String id, String agencyId, String eventId, Instant submittedAt, String payload, State state,
		int attempts, Instant nextAttemptAt, String lastError, String agencyReference, Instant deliveredAt,
		Boolean uncertain, Integer reportedSequence, Instant nextPollAt, String batch, String revision) {

	/** Records stored before a field existed read it as absent: not uncertain, nothing reported yet. */
	public Delivery {
		uncertain = Boolean.TRUE.equals(uncertain);
		reportedSequence = (reportedSequence == null) ? 0 : reportedSequence;
	}

	/** The revision of a delivery after that many attempts. */
	static String revisionOf(String id, int attempts) {
		return id + "#" + attempts;
	}

	/**
	 * The revision of a delivered one the agency refused afterwards (a file agency's result): a new
	 * key, so that a write naming the revision read before — dropping the form — finds nothing.
	 */
	static String refusedRevisionOf(String id, Instant at) {
		return id + "#refused-" + at.toEpochMilli();
	}

	/** The query that finds this delivery only if no attempt was recorded since it was read. */
	Criteria unchanged() {
		return (this.revision != null) ? Criteria.where("revision").is(this.revision)
				: Criteria.where("_id").is(this.id).and("attempts").is(this.attempts);
	}

	public enum State {

		/** waiting to be sent, or to be sent again */
		PENDING,
		/** the agency took it */
		DELIVERED,
		/** the agency refused its content: waits for an operator (and a fix) */
		REFUSED

	}

}
