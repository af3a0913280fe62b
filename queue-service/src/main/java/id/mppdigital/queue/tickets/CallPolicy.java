package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import id.mppdigital.queue.tickets.Ticket.Kind;

/**
 * Who a counter calls next, among the first of each kind in the lines it serves (README, "Queues"):
 * <ol>
 * <li>a checked-in booking whose slot has begun, the earliest slot first;</li>
 * <li>else priority (elderly, disabled, pregnant) and walk-ins by their wait, a priority ticket's wait
 * counting {@value #PRIORITY_WEIGHT} times: priority goes first, but a walk-in who has waited three
 * times as long as the first priority ticket goes before it, so priority cannot starve the line;</li>
 * <li>on equal weighted waits, whoever came first;</li>
 * <li>when nobody else waits, the earliest booking checked in before its slot.</li>
 * </ol>
 * A pure function of the heads of the lines and the time, so that it is tested as a table.
 */
final class CallPolicy {

	/** How many times a priority ticket's wait counts against a walk-in's. */
	static final int PRIORITY_WEIGHT = 3;

	/** The first ticket of one kind in one line: all the policy looks at. */
	record Head(String ticketId, Kind kind, Instant lineSince, Instant dueAt) {
	}

	private CallPolicy() {
	}

	static Optional<Head> next(List<Head> heads, Instant now) {
		Comparator<Head> bySlot = Comparator.comparing(Head::dueAt).thenComparing(Head::lineSince);
		Optional<Head> due = heads.stream()
			.filter(head -> head.kind() == Kind.BOOKED && !head.dueAt().isAfter(now))
			.min(bySlot);
		if (due.isPresent()) {
			return due;
		}
		Optional<Head> waiting = heads.stream()
			.filter(head -> head.kind() != Kind.BOOKED)
			.min(Comparator.comparing((Head head) -> weightedWait(head, now)).reversed()
				.thenComparing(Head::lineSince));
		if (waiting.isPresent()) {
			return waiting;
		}
		return heads.stream().filter(head -> head.kind() == Kind.BOOKED).min(bySlot);
	}

	private static Duration weightedWait(Head head, Instant now) {
		Duration waited = Duration.between(head.lineSince(), now);
		return head.kind() == Kind.PRIORITY ? waited.multipliedBy(PRIORITY_WEIGHT) : waited;
	}

}
