package id.mppdigital.queue.tickets;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import id.mppdigital.defaults.store.RevisionIndex;
import id.mppdigital.problems.Problems;
import id.mppdigital.queue.site.Site;
import id.mppdigital.queue.site.Sites;
import id.mppdigital.queue.tickets.Ticket.Kind;
import id.mppdigital.queue.tickets.Ticket.State;
import id.mppdigital.queue.tickets.Ticket.Step;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Issuing tickets and what their holders do with them. A number is the queue's letters and its
 * daily sequence at the MPP ({@code A-001}), the day being the MPP's own (numbers restart at its
 * local midnight in WIB, WITA or WIT); the sequence is one atomic increment, and a unique index on
 * the number guards it besides. A service's daily quota is shared by walk-ins and bookings; a
 * signed-in citizen holds at most {@code mpp.queue.max-active-per-citizen} active tickets per queue
 * and day.
 */
@Component
class Tickets {

	private static final SecureRandom random = new SecureRandom();

	private final ReactiveMongoTemplate mongo;

	private final Sites sites;

	private final Counts counts;

	private final Slots slots;

	private final Lines lines;

	private final TicketEvents events;

	private final QueueMetrics metrics;

	private final Clock clock;

	private final int maxActivePerCitizen;

	Tickets(ReactiveMongoTemplate mongo, Sites sites, Counts counts, Slots slots, Lines lines, TicketEvents events, QueueMetrics metrics, Clock clock,
			@Value("${mpp.queue.max-active-per-citizen:2}") int maxActivePerCitizen) {
		this.mongo = mongo;
		this.sites = sites;
		this.counts = counts;
		this.slots = slots;
		this.lines = lines;
		this.events = events;
		this.metrics = metrics;
		this.clock = clock;
		this.maxActivePerCitizen = maxActivePerCitizen;
		RevisionIndex.ensure(mongo, Ticket.class, "revision");
		RevisionIndex.ensure(mongo, Ticket.class, "numbered");
		RevisionIndex.ensure(mongo, Ticket.class, "activeAt");
	}

	/** A ticket and whether this request issued it (false: a repeat of an earlier request with the same key). */
	record Issued(Ticket ticket, boolean created) {
	}

	/** The ticket a request with an {@code Idempotency-Key} issued (or is issuing), and what it asked for. */
	@org.springframework.data.mongodb.core.mapping.Document("ticket_keys")
	record IssueKey(@org.springframework.data.annotation.Id String id, String ticketId, String fingerprint, Instant at) {
	}

	/** A walk-in (or priority) ticket for a service at an MPP, now. */
	Mono<Ticket> issue(String mppId, String standardId, boolean priority, String holder) {
		return issue(mppId, standardId, priority, holder, null).map(Issued::ticket);
	}

	/**
	 * A walk-in (or priority) ticket, idempotently: with a key, repeating the request (a kiosk whose
	 * answer was lost) returns the ticket the first one issued, never a second number — also when
	 * the first stopped between its two writes (the key, then the ticket): the repeat issues it under
	 * the same id. Keys are per holder (anonymous kiosks share one scope: their keys are random).
	 */
	Mono<Issued> issue(String mppId, String standardId, boolean priority, String holder, String idempotencyKey) {
		String fingerprint = mppId + "|" + standardId + "|" + priority;
		if (idempotencyKey == null) {
			return create(newId(), null, fingerprint, mppId, standardId, priority, holder);
		}
		String keyId = sha256((holder == null ? "kiosk" : holder) + "\n" + idempotencyKey);
		return this.mongo.findById(keyId, IssueKey.class)
			.flatMap(earlier -> replay(earlier, fingerprint, mppId, standardId, priority, holder))
			.switchIfEmpty(Mono.defer(() -> create(newId(), keyId, fingerprint, mppId, standardId, priority, holder)));
	}

	private Mono<Issued> replay(IssueKey key, String fingerprint, String mppId, String standardId, boolean priority,
			String holder) {
		if (!key.fingerprint().equals(fingerprint)) {
			return Mono.error(Problems.unprocessable("Idempotency-Key",
					"was already used for a different ticket; use a new key for a new ticket"));
		}
		// the first request stopped between its two writes (or is between them right now): finish it
		// under the same id; whichever writes the ticket first wins
		return this.mongo.findById(key.ticketId(), Ticket.class)
			.map(ticket -> new Issued(ticket, false))
			.switchIfEmpty(Mono.defer(() -> create(key.ticketId(), null, fingerprint, mppId, standardId, priority, holder)));
	}

	/** Checks, claims the key (when {@code keyId}), takes the limits and writes the ticket {@code id}. */
	private Mono<Issued> create(String id, String keyId, String fingerprint, String mppId, String standardId,
			boolean priority, String holder) {
		Instant now = this.clock.instant();
		return this.sites.site(mppId).flatMap(site -> {
			Site.Offering offering = site.offering(standardId)
				.orElseThrow(() -> Problems.unprocessable("standardId", "is not offered at this MPP"));
			LocalDate day = site.dayAt(now);
			if (!site.openAt(now)) {
				throw Problems.unprocessable("mppId", "is closed now; tickets are issued during its opening hours");
			}
			if (!offering.offeredOn(day)) {
				throw Problems.unprocessable("standardId", "is not offered at this MPP on " + day.getDayOfWeek());
			}
			List<String> taken = new ArrayList<>();
			Kind kind = priority ? Kind.PRIORITY : Kind.WALK_IN;
			Mono<Issued> issued = takeLimits(site, offering, day, holder, now, taken)
				.then(insert(id, site, offering, day, kind, holder, now, null, kind.name()))
				.map(ticket -> new Issued(ticket, true))
				.onErrorResume(failure -> Mono.when(taken.stream().map(this.counts::release).toList())
					// refused: nothing is left behind, not even the key
					.then(keyId == null || failure instanceof DuplicateKeyException ? Mono.empty()
							: this.mongo.remove(Query.query(Criteria.where("_id").is(keyId)), IssueKey.class).then())
					.then(Mono.error(failure)))
				// a repeat finishing the same ticket at the same moment wrote it first
				.onErrorResume(DuplicateKeyException.class, twice -> find(id).map(ticket -> new Issued(ticket, false)));
			if (keyId == null) {
				return issued;
			}
			// the same key at the same moment: the other request issues it
			return this.mongo.insert(new IssueKey(keyId, id, fingerprint, now))
				.then(issued)
				.onErrorResume(DuplicateKeyException.class, raced -> this.mongo.findById(keyId, IssueKey.class)
					.flatMap(key -> replay(key, fingerprint, mppId, standardId, priority, holder)));
		});
	}

	private static String sha256(String text) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
				.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The ticket a booking becomes when its holder checks in, numbered now in the queue's sequence; the
	 * booking already holds its place in the quota and under the holder's limit. Its id was chosen with
	 * the booking, so that checking in again (after a crash, or twice at once) finds this ticket
	 * instead of issuing a second one.
	 *
	 * @param dueAt the slot's start, or null when checked in too late: then it is a walk-in from now
	 */
	Mono<Ticket> issueBooked(String id, Site site, Site.Offering offering, LocalDate day, String holder, Instant dueAt,
			String note) {
		return this.mongo.findById(id, Ticket.class)
			.switchIfEmpty(Mono.defer(() -> insert(id, site, offering, day, dueAt == null ? Kind.WALK_IN : Kind.BOOKED,
					holder, this.clock.instant(), dueAt, note)))
			.onErrorResume(DuplicateKeyException.class, twice -> find(id));
	}

	private Mono<Ticket> insert(String id, Site site, Site.Offering offering, LocalDate day, Kind kind, String holder,
			Instant now, Instant dueAt, String note) {
		return this.counts.add(sequenceKey(site.mppId(), day, offering.queuePrefix()), 1).flatMap(sequence -> {
			Ticket ticket = numbered(id, site, offering, day, sequence, kind, holder, now, dueAt, note, List.of());
			List<Ticket.Unsent> unsent = this.events.of(ticket, ticket.history().get(0));
			// in its line first: a crash before the insert leaves an entry readers drop (Lines)
			return this.lines.join(ticket.waitingIn(), ticket)
				.then(this.mongo.insert(numbered(id, site, offering, day, sequence, kind, holder, now, dueAt, note, unsent)))
				.doOnNext(issued -> {
					this.events.written(issued, unsent);
					this.metrics.issued(issued);
				});
		});
	}

	/** The daily quota and the holder's limit, each given back if a later step fails. */
	private Mono<Void> takeLimits(Site site, Site.Offering offering, LocalDate day, String holder, Instant now,
			List<String> taken) {
		// walk-ins leave the places still bookable online to bookings (Slots)
		Mono<Void> quota = (offering.dailyQuota() == null) ? Mono.empty()
				: this.slots.walkInLimit(site, offering, day, now)
					.flatMap(limit -> this.counts.take(quotaKey(site.mppId(), day, offering.standardId()), limit, taken,
							() -> Problems.unprocessable("standardId",
									"has no places left today at this MPP (" + offering.dailyQuota() + " a day)")));
		if (holder == null) {
			return quota;
		}
		return this.counts.take(holderKey(holder, site.mppId(), day, offering.queuePrefix()), this.maxActivePerCitizen,
				taken, () -> Problems.tooMany("You already hold " + this.maxActivePerCitizen
						+ " active tickets or bookings in this queue today.", java.time.Duration.ofMinutes(30)))
			.then(quota);
	}

	private static Ticket numbered(String id, Site site, Site.Offering offering, LocalDate day, long sequence, Kind kind,
			String holder, Instant now, Instant dueAt, String note, List<Ticket.Unsent> unsent) {
		String number = offering.queuePrefix() + "-" + String.format("%03d", sequence);
		return new Ticket(id, site.mppId(), day, offering.queuePrefix(), offering.standardId(), number, sequence, kind,
				holder,
				State.WAITING, now, now, dueAt, offering.queuePrefix(), null, 0, null, null, null,
				Ticket.waitingKey(site.mppId(), day, offering.queuePrefix(), kind), null,
				site.mppId() + "|" + day + "|" + number, Ticket.revisionOf(id, 1),
				List.of(new Step(State.WAITING, now, null, holder, note)), null, false, unsent);
	}

	/** A ticket by its id, or 404. */
	Mono<Ticket> find(String id) {
		return this.mongo.findById(id, Ticket.class)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("There is no ticket '" + id + "'.")));
	}

	/** The holder gives the ticket up while it waits (or is called but not yet served). */
	Mono<Ticket> cancel(String id, String by) {
		return find(id).flatMap(ticket -> {
			if (ticket.state() != State.WAITING && ticket.state() != State.CALLED) {
				return Mono.error(Problems.conflict("A ticket that is " + ticket.state() + " cannot be cancelled."));
			}
			return end(ticket, State.CANCELLED, by, null);
		});
	}

	/**
	 * Moves a ticket to an end state with a conditional write; 409 when it moved meanwhile. The
	 * holder's place under the limit is given back.
	 */
	Mono<Ticket> end(Ticket ticket, State state, String by, Update more) {
		Instant now = this.clock.instant();
		Update update = (more == null) ? new Update() : more;
		update.set("state", state).set("endedAt", now).unset("waitingIn").unset("activeAt");
		return move(ticket, update, new Step(state, now, ticket.counter(), by, null))
			.flatMap(ended -> (ticket.waitingIn() == null ? Mono.<Void>empty() : this.lines.leave(ticket.waitingIn(), ticket.id()))
				.then(release(ended))
				.thenReturn(ended));
	}

	private Mono<Void> release(Ticket ended) {
		return ended.holder() == null ? Mono.empty()
				: this.counts.release(holderKey(ended.holder(), ended.mppId(), ended.day(), ended.queue()));
	}

	/**
	 * One conditional write: applied only if nobody changed the ticket since it was read; else 409.
	 * The move's events are written with it ({@link TicketEvents}).
	 */
	Mono<Ticket> move(Ticket ticket, Update update, Step step) {
		return write(ticket, update.push("history", step), this.events.of(ticket, step))
			.doOnNext(moved -> this.metrics.moved(ticket, step));
	}

	private Mono<Ticket> write(Ticket ticket, Update update, List<Ticket.Unsent> unsent) {
		update.set("revision", Ticket.revisionOf(ticket.id(), ticket.writes() + 1));
		if (!unsent.isEmpty()) {
			update.push("unsent").each(unsent.toArray());
		}
		return this.mongo.findAndModify(Query.query(Criteria.where("revision").is(ticket.revision())), update,
				org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true), Ticket.class)
			.switchIfEmpty(Mono.error(() -> new Changed(ticket)))
			.onErrorMap(DuplicateKeyException.class,
					taken -> Problems.conflict("The counter already has an active ticket."))
			.doOnNext(written -> this.events.written(written, unsent));
	}

	/**
	 * After a call: the holder of the ticket {@code waiting} now {@code position} in its line is told,
	 * once, that their turn is near. Best effort: a ticket that moves meanwhile is told at the next call.
	 */
	Mono<Void> tellNear(Lines.Waiting waiting, int position) {
		return this.mongo.findById(waiting.ticketId(), Ticket.class)
			.filter(ticket -> ticket.state() == State.WAITING && !ticket.nearTold())
			.flatMap(ticket -> write(ticket, new Update().set("nearTold", true),
					List.of(this.events.turnNear(ticket, position, this.clock.instant()))))
			.onErrorResume(Changed.class, moved -> Mono.empty())
			.then();
	}

	/** 409: the ticket was changed by someone else between reading and writing it. */
	static final class Changed extends ErrorResponseException {

		Changed(Ticket ticket) {
			super(HttpStatus.CONFLICT,
					Problems.conflict("Ticket " + ticket.number() + " changed meanwhile; read it again.").getBody(), null);
		}

	}

	static String sequenceKey(String mppId, LocalDate day, String queue) {
		return "seq|" + mppId + "|" + day + "|" + queue;
	}

	static String quotaKey(String mppId, LocalDate day, String standardId) {
		return "quota|" + mppId + "|" + day + "|" + standardId;
	}

	static String holderKey(String holder, String mppId, LocalDate day, String queue) {
		return "holder|" + holder + "|" + mppId + "|" + day + "|" + queue;
	}

	static String newId() {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
