package id.mppdigital.queue.tickets;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import id.mppdigital.access.Caller;
import id.mppdigital.problems.Problems;
import id.mppdigital.queue.site.Site;
import id.mppdigital.queue.site.Sites;
import id.mppdigital.queue.tickets.Ticket.Kind;
import id.mppdigital.queue.tickets.Ticket.State;
import id.mppdigital.queue.tickets.Ticket.Step;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * What an officer does at a counter: open and close it, call the next ticket ({@link CallPolicy}),
 * call it again, start and finish the service, mark a no-show, transfer the ticket. Only an officer
 * of the MPP and of the counter's agency may (403 otherwise); a counter has at most one called or
 * serving ticket, kept by a unique index so that two officers pressing at once cannot both call.
 */
@Component
class Desks {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Desks.class);

	private static final int CALL_ATTEMPTS = 5;

	private final ReactiveMongoTemplate mongo;

	private final Sites sites;

	private final Tickets tickets;

	private final Lines lines;

	private final ServiceTimes serviceTimes;

	private final Clock clock;

	private final int maxRecalls;

	private final int nearPosition;

	Desks(ReactiveMongoTemplate mongo, Sites sites, Tickets tickets, Lines lines, ServiceTimes serviceTimes, Clock clock,
			@Value("${mpp.queue.max-recalls:2}") int maxRecalls,
			@Value("${mpp.queue.turn-near-position:3}") int nearPosition) {
		this.nearPosition = nearPosition;
		this.mongo = mongo;
		this.sites = sites;
		this.tickets = tickets;
		this.lines = lines;
		this.serviceTimes = serviceTimes;
		this.clock = clock;
		this.maxRecalls = maxRecalls;
		mongo.indexOps(Desk.class)
			.createIndex(new org.springframework.data.mongodb.core.index.Index("mppId", Sort.Direction.ASC))
			.subscribe();
	}

	/** The site and counter, once the caller is known to be an officer of both. */
	private record Place(Site site, Site.Counter counter) {

		String key() {
			return Ticket.activeKey(this.site.mppId(), this.counter.number());
		}

	}

	private Mono<Place> place(String mppId, int number, Caller caller) {
		return this.sites.site(mppId).map(site -> {
			if (!mppId.equals(caller.mpp())) {
				throw Problems.forbidden("You are not an officer of MPP '" + mppId + "'.");
			}
			Site.Counter counter = site.counter(number)
				.orElseThrow(() -> Problems.notFound("MPP '" + mppId + "' has no counter " + number + "."));
			caller.requireAgency(counter.agencyId());
			return new Place(site, counter);
		});
	}

	Mono<Desk> open(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> this.mongo.save(new Desk(place.key(), mppId, number,
				place.counter().agencyId(), true, caller.subject(), this.clock.instant(), linesOf(place))));
	}

	Mono<Desk> close(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> active(place).hasElement().flatMap(busy -> {
			if (busy) {
				return Mono.error(Problems.conflict("Finish, transfer or mark the current ticket as a no-show first."));
			}
			return desk(place).flatMap(desk -> this.mongo.save(new Desk(desk.id(), desk.mppId(), desk.number(),
					desk.agencyId(), false, caller.subject(), desk.openedAt(), desk.lines())));
		}));
	}

	/** The counter's open desk, or 409. */
	private Mono<Desk> desk(Place place) {
		return this.mongo.findById(place.key(), Desk.class)
			.filter(Desk::open)
			.switchIfEmpty(Mono.error(() -> Problems.conflict("Counter " + place.counter().number()
					+ " is not open: open it before calling.")));
	}

	private Mono<Ticket> active(Place place) {
		return this.mongo.findOne(Query.query(Criteria.where("activeAt").is(place.key())), Ticket.class);
	}

	/** The ticket called or served at the counter, or 409 when there is none. */
	private Mono<Ticket> current(Place place, State... states) {
		return active(place).filter(ticket -> List.of(states).contains(ticket.state()))
			.switchIfEmpty(Mono.error(() -> Problems.conflict("Counter " + place.counter().number() + " has no "
					+ String.join(" or ", java.util.Arrays.stream(states).map(State::name).toList()).toLowerCase(java.util.Locale.ROOT)
					+ " ticket.")));
	}

	/**
	 * Calls the next ticket by the policy; empty when nobody waits for this counter. The desk, whether
	 * it is busy, and who waits in the lines an open desk of this counter serves are read at once (one
	 * round trip of look-ups by key); then only the chosen ticket is read, and moved by one conditional
	 * write.
	 */
	Mono<Ticket> callNext(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> {
			Instant now = this.clock.instant();
			LocalDate day = place.site().dayAt(now);
			List<String> expected = linesOf(place);
			return Mono.zip(desk(place), active(place).hasElement(), this.lines.of(keys(place, day, expected)))
				.flatMap(known -> {
					if (known.getT2()) {
						return Mono.error(Problems.conflict("Counter " + number + " already has an active ticket: "
								+ "finish, transfer or mark it as a no-show first."));
					}
					Desk desk = known.getT1();
					// opened before the counter's services changed: its own lines
					Mono<Map<String, List<Lines.Waiting>>> waiting = desk.lines().equals(expected) ? Mono.just(known.getT3())
							: this.lines.of(keys(place, day, desk.lines()));
					return waiting.flatMap(read -> call(place, caller, now, queued(read), CALL_ATTEMPTS));
				});
		});
	}

	/** One line and kind a counter calls from, with who waits in it in line order; taken from the front. */
	private record Queued(String key, String line, Kind kind, java.util.ArrayDeque<Lines.Waiting> waiting) {
	}

	private static List<String> linesOf(Place place) {
		List<String> lines = new ArrayList<>(place.site().queuesOf(place.counter()));
		lines.add(Ticket.counterLine(place.counter().number()));
		return lines;
	}

	private static List<String> keys(Place place, LocalDate day, List<String> lines) {
		return lines.stream()
			.flatMap(line -> java.util.Arrays.stream(Kind.values())
				.map(kind -> Ticket.waitingKey(place.site().mppId(), day, line, kind)))
			.toList();
	}

	private static List<Queued> queued(Map<String, List<Lines.Waiting>> read) {
		List<Queued> queued = new ArrayList<>();
		read.forEach((key, waiting) -> {
			String[] parts = key.split("\\|");
			queued.add(new Queued(key, parts[2], Kind.valueOf(parts[3]), new java.util.ArrayDeque<>(waiting)));
		});
		return queued;
	}

	private Mono<Ticket> call(Place place, Caller caller, Instant now, List<Queued> queued, int attempts) {
		Optional<CallPolicy.Head> next = CallPolicy.next(queued.stream()
			.filter(line -> !line.waiting().isEmpty())
			.map(line -> line.waiting().peekFirst().head(line.kind()))
			.toList(), now);
		if (next.isEmpty()) {
			return Mono.empty();
		}
		Queued from = queued.stream()
			.filter(line -> !line.waiting().isEmpty() && line.waiting().peekFirst().ticketId().equals(next.get().ticketId()))
			.findFirst()
			.orElseThrow();
		Lines.Waiting entry = from.waiting().pollFirst();
		return this.lines.ticket(from.key(), entry)
			.flatMap(ticket -> {
				Update update = new Update().set("state", State.CALLED).set("counter", place.counter().number())
					.set("calledAt", now).unset("waitingIn").set("activeAt", place.key())
					.set("agencyId", place.counter().agencyId());
				return this.tickets.move(ticket, update, new Step(State.CALLED, now, place.counter().number(),
						caller.subject(), null))
					.flatMap(called -> this.lines.leave(from.key(), called.id()).thenReturn(called))
					// the holder further down the line is told in the background: the call does not wait for it
					.doOnNext(called -> tellNear(queued, from.line(), called))
					// another counter called it first: the next one
					.onErrorResume(Tickets.Changed.class,
							raced -> attempts > 1 ? call(place, caller, now, queued, attempts - 1) : Mono.error(raced));
			})
			// not (or not yet) waiting there: the next one
			.switchIfEmpty(Mono.defer(() -> call(place, caller, now, queued, attempts)));
	}

	/** The holder now {@code turn-near-position} in the line the call was made from, by what was read for it. */
	private void tellNear(List<Queued> queued, String line, Ticket called) {
		queued.stream()
			.filter(kind -> kind.line().equals(line))
			.flatMap(kind -> kind.waiting().stream())
			.sorted(Lines.ORDER)
			.skip(this.nearPosition - 1L)
			.findFirst()
			.ifPresent(near -> this.tickets.tellNear(near, this.nearPosition)
				.subscribe(null, failure -> log.warn("Turn-near not told after {}: {}", called.number(), failure.toString())));
	}

	/** Calls the current ticket again; after {@code max-recalls} recalls, the next one marks it a no-show. */
	Mono<Ticket> recall(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> current(place, State.CALLED).flatMap(ticket -> {
			Instant now = this.clock.instant();
			if (ticket.recalls() >= this.maxRecalls) {
				return this.tickets.end(ticket, State.NO_SHOW, caller.subject(), null);
			}
			return this.tickets.move(ticket, new Update().inc("recalls", 1).set("calledAt", now),
					new Step(State.CALLED, now, number, caller.subject(), "recall " + (ticket.recalls() + 1)));
		}));
	}

	Mono<Ticket> start(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> current(place, State.CALLED).flatMap(ticket -> {
			Instant now = this.clock.instant();
			return this.tickets.move(ticket, new Update().set("state", State.SERVING).set("servingAt", now),
					new Step(State.SERVING, now, number, caller.subject(), null));
		}));
	}

	Mono<Ticket> finish(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> current(place, State.SERVING)
			.flatMap(ticket -> this.tickets.end(ticket, State.DONE, caller.subject(), null))
			.flatMap(done -> this.serviceTimes.record(done).thenReturn(done)));
	}

	Mono<Ticket> noShow(String mppId, int number, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> current(place, State.CALLED)
			.flatMap(ticket -> this.tickets.end(ticket, State.NO_SHOW, caller.subject(), null)));
	}

	/**
	 * Sends the current ticket to another queue of the MPP or to one counter, back to waiting with its
	 * original place in line (the time it was first issued), so that it is not served after people
	 * who came later.
	 */
	Mono<Ticket> transfer(String mppId, int number, String toQueue, Integer toCounter, Caller caller) {
		return place(mppId, number, caller).flatMap(place -> current(place, State.CALLED, State.SERVING).flatMap(ticket -> {
			String line;
			if (toCounter != null) {
				if (place.site().counter(toCounter).isEmpty() || toCounter == number) {
					return Mono.error(Problems.unprocessable("counter", "is not another counter of this MPP"));
				}
				line = Ticket.counterLine(toCounter);
			}
			else if (toQueue != null && place.site().agencyOf(toQueue).isPresent()) {
				line = toQueue;
			}
			else {
				return Mono.error(Problems.unprocessable("queue",
						toQueue == null ? "say the queue or the counter to send the ticket to" : "is not a queue of this MPP"));
			}
			Instant now = this.clock.instant();
			String waitingIn = Ticket.waitingKey(mppId, ticket.day(), line, ticket.kind());
			Update update = new Update().set("state", State.WAITING).set("line", line).unset("counter")
				.unset("activeAt").set("recalls", 0)
				.set("waitingIn", waitingIn);
			return this.lines.join(waitingIn, ticket).then(this.tickets.move(ticket, update, new Step(State.WAITING, now, number, caller.subject(),
					"transferred to " + (toCounter != null ? "counter " + toCounter : "queue " + toQueue))));
		}));
	}

}
