package id.mppdigital.queue.tickets;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import id.mppdigital.queue.tickets.Ticket.Kind;
import id.mppdigital.queue.tickets.Ticket.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Who waits in each line, one document per line and kind ({@link Ticket#waitingKey}), read and
 * changed by its id only: call-next, positions and estimates never search the tickets (the embedded
 * store has no secondary indexes, so every search reads every ticket of every MPP — measured: 30
 * tickets/s). The ticket stays the truth: a ticket joins its line before it is written as waiting
 * there and leaves after it was written as gone, so a crash in between leaves at most an entry whose
 * ticket is not (or no longer) waiting there. A caller skips such an entry, and removes it once it
 * joined more than {@link #SETTLING} ago: a younger one may belong to a ticket being issued or
 * transferred into the line at this very moment, whose write has not landed yet.
 */
@Component
class Lines {

	@Document("lines")
	record Line(@Id String id, List<Waiting> waiting) {
	}

	/**
	 * One ticket in a line, with what its order needs.
	 *
	 * @param place a booking's slot; everyone else's place in line (the issue time, kept through transfers)
	 */
	record Waiting(String ticketId, Instant place, Instant issuedAt, long sequence, Instant joinedAt) {

		static Waiting of(Ticket ticket, Instant joinedAt) {
			return new Waiting(ticket.id(),
					ticket.kind() == Kind.BOOKED && ticket.dueAt() != null ? ticket.dueAt() : ticket.lineSince(),
					ticket.issuedAt(), ticket.sequence(), joinedAt);
		}

		/** What the call policy looks at: a booking's slot is its place, everyone else's the issue time. */
		CallPolicy.Head head(Kind kind) {
			return kind == Kind.BOOKED ? new CallPolicy.Head(this.ticketId, kind, this.issuedAt, this.place)
					: new CallPolicy.Head(this.ticketId, kind, this.place, null);
		}

		/** Whether its ticket's write is surely done (entries from before joinedAt was kept count as settled). */
		boolean settled(Instant now) {
			return this.joinedAt == null || this.joinedAt.plus(SETTLING).isBefore(now);
		}

	}

	/** How long an entry may wait for its ticket's write before an entry without it counts as left behind. */
	static final java.time.Duration SETTLING = java.time.Duration.ofMinutes(1);

	/** Line order: a booking's place is its slot, everyone else's the time they first took a ticket. */
	static final Comparator<Waiting> ORDER = Comparator.comparing(Waiting::place)
		.thenComparing(Waiting::issuedAt)
		.thenComparingLong(Waiting::sequence);

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	Lines(ReactiveMongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	/** The ticket, as it is about to be written as waiting in {@code key}, joins that line. */
	Mono<Void> join(String key, Ticket ticket) {
		return this.mongo.upsert(Query.query(Criteria.where("_id").is(key)),
				new Update().push("waiting", Waiting.of(ticket, this.clock.instant())), Line.class).then();
	}

	/** The ticket, written as no longer waiting in {@code key}, leaves that line. */
	Mono<Void> leave(String key, String ticketId) {
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(key)),
				new Update().pull("waiting", Query.query(Criteria.where("ticketId").is(ticketId))), Line.class).then();
	}

	/** Who waits in one line and kind, in line order, each once. */
	Flux<Waiting> of(String key) {
		return this.mongo.findById(key, Line.class)
			.flatMapIterable(line -> line.waiting() == null ? List.of() : line.waiting())
			.sort(ORDER)
			.distinct(Waiting::ticketId);
	}

	/** Who waits in a line, every kind, in line order. */
	Flux<Waiting> line(String mppId, LocalDate day, String line) {
		return Flux.fromArray(Kind.values())
			.concatMap(kind -> of(Ticket.waitingKey(mppId, day, line, kind)))
			.sort(ORDER);
	}

	/** Who waits in each of these lines and kinds, read at once, each in line order. */
	Mono<Map<String, List<Waiting>>> of(Collection<String> keys) {
		return Flux.fromIterable(keys)
			.flatMap(key -> of(key).collectList().map(waiting -> Map.entry(key, waiting)))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/**
	 * The ticket of {@code entry} if it really waits in {@code key}; else empty, and the entry is
	 * removed when it is settled (left behind by a crash between the two writes).
	 */
	Mono<Ticket> ticket(String key, Waiting entry) {
		return this.mongo.findById(entry.ticketId(), Ticket.class)
			.filter(ticket -> ticket.state() == State.WAITING && key.equals(ticket.waitingIn()))
			.switchIfEmpty(Mono.defer(() -> entry.settled(this.clock.instant())
					? leave(key, entry.ticketId()).then(Mono.empty()) : Mono.empty()));
	}

}
