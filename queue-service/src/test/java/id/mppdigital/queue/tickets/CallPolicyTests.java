package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.queue.tickets.CallPolicy.Head;
import id.mppdigital.queue.tickets.Ticket.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call-next policy as a table. Each head is {@code name:kind:waited minutes[:slot in minutes from
 * now]}; the row says who is called.
 */
class CallPolicyTests {

	private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			# heads                                              | called | why
			w1:WALK_IN:10                                         | w1     | the only one
			w1:WALK_IN:10 w2:WALK_IN:20                           | w2     | the longest-waiting walk-in
			w1:WALK_IN:10 p1:PRIORITY:5                           | p1     | priority first: 5 min counts as 15
			w1:WALK_IN:20 p1:PRIORITY:5                           | w1     | ageing: the walk-in waited more than 3x as long
			w1:WALK_IN:15 p1:PRIORITY:5                           | w1     | equal weighted waits: who came first
			w1:WALK_IN:40 p1:PRIORITY:20 b1:BOOKED:1:0            | b1     | a booking whose slot begins now goes first
			w1:WALK_IN:40 b1:BOOKED:30:-10 b2:BOOKED:5:-20        | b2     | of two due bookings, the earlier slot
			w1:WALK_IN:1 b1:BOOKED:5:15                           | w1     | a booking checked in early waits for its slot
			b1:BOOKED:5:15 b2:BOOKED:9:30                         | b1     | nobody else waits: the earliest early booking
			p1:PRIORITY:1 p2:PRIORITY:2 w1:WALK_IN:5              | p2     | the longest-waiting priority ticket
			""")
	void theNextTicketFollowsThePolicy(String heads, String called, String why) {
		List<Head> all = new ArrayList<>();
		for (String head : heads.trim().split("\\s+")) {
			String[] parts = head.split(":");
			Instant since = NOW.minus(Duration.ofMinutes(Long.parseLong(parts[2])));
			Instant slot = parts.length > 3 ? NOW.plus(Duration.ofMinutes(Long.parseLong(parts[3]))) : null;
			all.add(new Head(parts[0], Kind.valueOf(parts[1]), since, slot));
		}
		assertThat(CallPolicy.next(all, NOW)).as(why).map(Head::ticketId).contains(called);
	}

	@Test
	void nobodyWaitingCallsNobody() {
		assertThat(CallPolicy.next(List.of(), NOW)).isEmpty();
	}

}
