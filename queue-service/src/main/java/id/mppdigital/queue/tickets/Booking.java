package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A citizen's booked visit to a counter: a slot of a service's queue on a day at an MPP, until they
 * check in (it becomes a ticket) or cancel it. Never voided: a late holder still checks in, into the
 * walk-in line.
 *
 * @param id an unguessable token: the QR code the kiosk scans to check in
 * @param slot its local start time
 * @param startsAt when the slot begins
 * @param endsAt when it ends
 * @param holder the citizen's subject
 * @param applicationId the citizen's application it is for (to collect a product, for biometrics), or null
 * @param ticketId the id its ticket will have: chosen now, so that a check-in is never done twice
 * @param taken the counts it holds (slot, online places, daily quota, the holder's limit), given back on cancel
 * @param late whether its holder checked in too late for the slot, and so joined the walk-in line
 * @param revision {@code <id>@<writes>}: the key of a conditional write
 */
@Document("bookings")
record Booking(@Id String id, String mppId, LocalDate day, String standardId, String queue, LocalTime slot,
		Instant startsAt, Instant endsAt, String holder, String applicationId, State state, String ticketId,
		List<String> taken, Instant bookedAt, Instant endedAt, boolean late, String revision) {

	enum State {

		BOOKED, CHECKED_IN, CANCELLED

	}

	int writes() {
		return Integer.parseInt(this.revision.substring(this.revision.lastIndexOf('@') + 1));
	}

}
