package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

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
 * ticket is not (or no longer) waiting there, which every reader checks and removes when it meets it.
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
	record Waiting(String ticketId, Instant place, Instant issuedAt, long sequence) {

		static Waiting of(Ticket ticket) {
			return new Waiting(ticket.id(),
					ticket.kind() == Kind.BOOKED && ticket.dueAt() != null ? ticket.dueAt() : ticket.lineSince(),
					ticket.issuedAt(), ticket.sequence());
		}

	}

	/** Line order: a booking's place is its slot, everyone else's the time they first took a ticket. */
	static final Comparator<Waiting> ORDER = Comparator.comparing(Waiting::place)
		.thenComparing(Waiting::issuedAt)
		.thenComparingLong(Waiting::sequence);

	private final ReactiveMongoTemplate mongo;

	Lines(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** The ticket, as it is about to be written as waiting in {@code key}, joins that line. */
	Mono<Void> join(String key, Ticket ticket) {
		return this.mongo.upsert(Query.query(Criteria.where("_id").is(key)), new Update().push("waiting", Waiting.of(ticket)),
				Line.class).then();
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

	/**
	 * The first ticket really waiting in {@code key}; entries met on the way whose ticket is not
	 * waiting there (a crash between the two writes) are removed.
	 */
	Mono<Ticket> head(String key) {
		return of(key).concatMap(waiting -> this.mongo.findById(waiting.ticketId(), Ticket.class)
			.filter(ticket -> ticket.state() == State.WAITING && key.equals(ticket.waitingIn()))
			.switchIfEmpty(leave(key, waiting.ticketId()).then(Mono.empty())), 1)
			.next();
	}

}
