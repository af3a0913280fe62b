package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.time.LocalDate;

import id.mppdigital.queue.tickets.Ticket.Kind;
import id.mppdigital.queue.tickets.Ticket.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * A waiting ticket's place and expected wait, computed when it is read, so that it moves as the
 * queue moves: the tickets ahead in its line (by their place in line; a booking's place is its slot),
 * the counters open for that line now, and the line's recent service times ({@link ServiceTimes}).
 * The expected wait is {@code (ahead + ½) × mean service time ÷ open counters} — the current service
 * being half done on average — and its range {@code ± √(ahead + 1) × spread ÷ open counters}, the
 * spread of a sum of independent services. Priority tickets and due bookings arriving later can
 * still go ahead (CallPolicy), which the range does not foresee.
 */
@Component
class Estimates {

	/** What a holder sees of a ticket: no personal data, so that it can be shown on any screen. */
	record TicketView(String id, String mppId, LocalDate day, String number, String queue, String standardId, Kind kind,
			State state, Instant issuedAt, Instant dueAt, Integer counter, int recalls, Integer position,
			Estimate estimate) {
	}

	/**
	 * The expected wait in whole minutes, its range, the counters open for the line and how many
	 * recent services it rests on (0: the configured default, no measurements yet). With no counter
	 * open for the line there is no estimate: the minutes are null.
	 */
	record Estimate(Long minutes, Long fromMinutes, Long toMinutes, int openCounters, int basedOnServices) {
	}

	private final ReactiveMongoTemplate mongo;

	private final ServiceTimes serviceTimes;

	private final Lines lines;

	Estimates(ReactiveMongoTemplate mongo, ServiceTimes serviceTimes, Lines lines) {
		this.mongo = mongo;
		this.lines = lines;
		this.serviceTimes = serviceTimes;
	}

	Mono<TicketView> view(Ticket ticket) {
		if (ticket.state() != State.WAITING) {
			return Mono.just(view(ticket, null, null));
		}
		Lines.Waiting self = Lines.Waiting.of(ticket, null);
		Mono<Long> ahead = this.lines.line(ticket.mppId(), ticket.day(), ticket.line())
			.filter(other -> !other.ticketId().equals(ticket.id()) && Lines.ORDER.compare(other, self) < 0)
			.count();
		Mono<Long> open = this.mongo.find(Query.query(Criteria.where("mppId").is(ticket.mppId())), Desk.class)
			.filter(desk -> desk.open() && desk.lines().contains(ticket.line()))
			.count();
		return Mono.zip(ahead, open, this.serviceTimes.of(ticket.mppId(), ticket.queue()))
			.map(known -> view(ticket, (int) (known.getT1() + 1), estimate(known.getT1(), known.getT2(), known.getT3())));
	}

	private static Estimate estimate(long ahead, long open, ServiceTimes.Stats stats) {
		if (open == 0) {
			return new Estimate(null, null, null, 0, stats.samples());
		}
		double mean = stats.mean().toSeconds() * (ahead + 0.5) / open;
		double spread = stats.spread().toSeconds() * Math.sqrt(ahead + 1) / open;
		return new Estimate(minutes(mean), minutes(Math.max(0, mean - spread)), minutes(mean + spread), (int) open,
				stats.samples());
	}

	private static Long minutes(double seconds) {
		return Math.round(seconds / 60);
	}

	private static TicketView view(Ticket ticket, Integer position, Estimate estimate) {
		return new TicketView(ticket.id(), ticket.mppId(), ticket.day(), ticket.number(), ticket.queue(),
				ticket.standardId(), ticket.kind(), ticket.state(), ticket.issuedAt(), ticket.dueAt(), ticket.counter(),
				ticket.recalls(), position, estimate);
	}
}
