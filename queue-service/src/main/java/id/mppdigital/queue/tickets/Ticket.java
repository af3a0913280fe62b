package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A place in a queue of an MPP for one day, from issue to its end (served, no-show or cancelled).
 *
 * @param id an unguessable token: holding it is what lets a kiosk ticket's holder follow or cancel it
 * @param mppId the MPP
 * @param day the MPP's local day it was issued for; numbers restart every day
 * @param queue the queue's letters ({@code A}), the same for every service of that queue at the MPP
 * @param standardId the service the holder came for
 * @param number what the board shows, {@code A-001}
 * @param sequence its place in the day's sequence of its first queue: the order of tickets issued in the same instant
 * @param kind walk-in, priority or booked
 * @param holder the citizen's subject when issued to a signed-in citizen, else null (kiosk)
 * @param state where it is in its lifecycle
 * @param issuedAt when it was issued
 * @param lineSince its place in line: the issue time, kept through transfers (fairness)
 * @param dueAt for a booking, the start of its slot; null otherwise
 * @param line the line it waits in: its queue's letters, or {@code @<counter>} after a transfer to one counter
 * @param counter the counter that called it, while called, serving or done
 * @param recalls how often it was called again
 * @param calledAt when it was (last) called
 * @param servingAt when its service started
 * @param endedAt when it ended
 * @param waitingIn {@code <mpp>|<day>|<line>|<kind>} while waiting, else null: the key call-next reads
 * @param activeAt {@code <mpp>:<counter>} while called or serving, else null: unique, one per counter
 * @param numbered {@code <mpp>|<day>|<number>}: unique, so that no number is ever given twice
 * @param revision {@code <id>@<writes>}: the key of a conditional write
 * @param history what happened to it
 * @param agencyId the agency of the counter that called it
 * @param nearTold whether its holder was told that their turn is near ({@code mpp.queue.turn-near.v1})
 * @param unsent the events of its moves that Kafka has not acknowledged yet (the outbox, {@link TicketEvents})
 */
@Document("tickets")
record Ticket(@Id String id, String mppId, LocalDate day, String queue, String standardId, String number, long sequence,
		Kind kind,
		String holder, State state, Instant issuedAt, Instant lineSince, Instant dueAt, String line, Integer counter,
		int recalls, Instant calledAt, Instant servingAt, Instant endedAt, String waitingIn, String activeAt,
		String numbered, String revision, List<Step> history, String agencyId, boolean nearTold,
		List<Unsent> unsent) {

	enum Kind {

		/** Booked online for a slot, checked in. */
		BOOKED,
		/** Elderly, disabled or pregnant: called before walk-ins, but ageing lets walk-ins through. */
		PRIORITY,
		/** Took a number at the kiosk or in the app, today. */
		WALK_IN

	}

	enum State {

		WAITING, CALLED, SERVING, DONE, NO_SHOW, CANCELLED;

		boolean active() {
			return this == WAITING || this == CALLED || this == SERVING;
		}

	}

	/** One move: to which state, when, at which counter, by whom (an officer's subject, or null). */
	record Step(State state, Instant at, Integer counter, String by, String note) {
	}

	/**
	 * An event written with the move it reports, in the same write; removed once Kafka has it.
	 *
	 * @param eventId its {@code ce_id}, random: a board event must not give the ticket's id away
	 */
	record Unsent(String eventId, String topic, String key, String type, Instant at, String json) {
	}

	static String waitingKey(String mppId, LocalDate day, String line, Kind kind) {
		return mppId + "|" + day + "|" + line + "|" + kind;
	}

	static String activeKey(String mppId, int counter) {
		return mppId + ":" + counter;
	}

	static String revisionOf(String id, int writes) {
		return id + "@" + writes;
	}

	int writes() {
		return Integer.parseInt(this.revision.substring(this.revision.lastIndexOf('@') + 1));
	}

	/** The line a counter's call reads for this ticket: its queue, or the one counter it was sent to. */
	static String counterLine(int counter) {
		return "@" + counter;
	}

}
