package id.mppdigital.application.applications;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.springframework.data.annotation.Id;
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
 */
@Document("applications")
record Application(@Id String id, String applicant, String mppId, String standardId, int standardVersion,
		String agencyId, String form, State state, List<Step> history, Instant submittedAt, LocalDate dueDate,
		String agencyReference, String receiptCode, boolean eventSent, boolean stateEventSent) {

	public enum State {

		SUBMITTED, IN_PROCESS, COMPLETED, REJECTED, WITHDRAWN;

		/** Where an application may go from here; the last three are final. */
		Set<State> next() {
			return switch (this) {
				case SUBMITTED -> Set.of(IN_PROCESS, REJECTED, WITHDRAWN);
				case IN_PROCESS -> Set.of(COMPLETED, REJECTED, WITHDRAWN);
				case COMPLETED, REJECTED, WITHDRAWN -> Set.of();
			};
		}

	}

	/**
	 * @param by the subject of whoever moved it (citizen, officer or agency system)
	 * @param role the role they acted in
	 */
	public record Step(State state, Instant at, String by, String role, String note) {
	}

}
