package id.mppdigital.notification.inbox;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import id.mppdigital.access.Caller;
import id.mppdigital.notification.delivery.Deliveries;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Citizens' in-app inboxes: what each is told (once per event: their applications' changes, their
 * queue tickets' calls and near turns), what they may read (only their own)
 * and marking read. The one class of this feature that touches its collection.
 */
@Component
class Inbox {

	private final ReactiveMongoTemplate mongo;

	private final InboxTexts texts;

	private final Clock clock;

	private final Deliveries deliveries;

	Inbox(ReactiveMongoTemplate mongo, InboxTexts texts, Deliveries deliveries, Clock clock) {
		this.mongo = mongo;
		this.deliveries = deliveries;
		this.texts = texts;
		this.clock = clock;
	}

	/** A page of the caller's inbox, newest first, in one language. */
	record Page(List<Message> items, long unread, int page, int size) {
	}

	record Message(String id, String applicationId, String ticketId, String state, String title, String body,
			Instant createdAt, boolean read) {
	}

	/**
	 * Tells the applicant that their application moved. The notification's id is the event's, so a
	 * redelivered event is not told twice.
	 */
	Mono<Void> tell(ApplicationStateListener.StateChanged changed, Instant at) {
		return store(at, this.texts.of(changed), changed.eventId(), changed.applicant(), changed.applicationId(), null,
				changed.state(), changed.mppId());
	}

	/** Tells a ticket's holder that they are called (or called again) to a counter. */
	Mono<Void> tell(TicketListener.TicketCalled called, Instant at) {
		return store(at, this.texts.of(called), called.eventId(), called.holder(), null, called.ticketId(),
				state(called), called.mppId());
	}

	/** Tells a ticket's holder that their turn is near. */
	Mono<Void> tell(TicketListener.TurnNear near, Instant at) {
		return store(at, this.texts.of(near), near.eventId(), near.holder(), null, near.ticketId(), "TURN_NEAR",
				near.mppId());
	}

	private static String state(TicketListener.TicketCalled called) {
		return called.recall() == 0 ? "CALLED" : "RECALLED";
	}

	/** What the applicant is told of a change, in both languages (also for their live stream). */
	Notification of(ApplicationStateListener.StateChanged changed) {
		return notification(this.texts.of(changed), changed.eventId(), changed.applicant(), changed.applicationId(),
				null, changed.state());
	}

	Notification of(TicketListener.TicketCalled called) {
		return notification(this.texts.of(called), called.eventId(), called.holder(), null, called.ticketId(),
				state(called));
	}

	Notification of(TicketListener.TurnNear near) {
		return notification(this.texts.of(near), near.eventId(), near.holder(), null, near.ticketId(), "TURN_NEAR");
	}

	private Notification notification(InboxTexts.Told told, String eventId, String recipient, String applicationId,
			String ticketId, String state) {
		return new Notification(eventId, recipient, applicationId, ticketId, state, this.texts.title(told),
				this.texts.body(told), this.clock.instant(), null);
	}

	/** One notification as its recipient reads it, in one language. */
	static Message message(Notification found, String language) {
		return new Message(found.id(), found.applicationId(), found.ticketId(), found.state(), found.title().in(language),
				found.body().in(language), found.createdAt(), found.readAt() != null);
	}

	/**
	 * In the inbox once, then on the other channels the recipient chose — also when the event comes
	 * again after a crash between the two (each channel's delivery is once on its own, {@link Deliveries}).
	 */
	private Mono<Void> store(Instant at, InboxTexts.Told told, String eventId, String recipient, String applicationId,
			String ticketId, String state, String mppId) {
		Notification notification = notification(told, eventId, recipient, applicationId, ticketId, state);
		return this.mongo.insert(notification).then()
			.onErrorResume(DuplicateKeyException.class, again -> Mono.empty())
			.then(this.deliveries.send(new Deliveries.Message(eventId, recipient, mppId, at, URGENT.contains(state),
					told.kind(), told.variables())));
	}

	/** What must reach the citizen at once: they are called to a counter now. */
	private static final java.util.Set<String> URGENT = java.util.Set.of("CALLED", "RECALLED");

	Mono<Page> page(Caller caller, boolean unreadOnly, int page, int size, String language) {
		caller.requireAnyRole(Caller.CITIZEN);
		Criteria mine = Criteria.where("recipient").is(caller.subject());
		Criteria listed = unreadOnly ? Criteria.where("recipient").is(caller.subject()).and("readAt").isNull() : mine;
		Query query = Query.query(listed)
			.with(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("_id")))
			.skip((long) page * size)
			.limit(size);
		Mono<List<Message>> items = this.mongo.find(query, Notification.class)
			.map(found -> message(found, language))
			.collectList();
		Mono<Long> unread = this.mongo.count(Query.query(Criteria.where("recipient").is(caller.subject())
			.and("readAt").isNull()), Notification.class);
		return Mono.zip(items, unread).map(both -> new Page(both.getT1(), both.getT2(), page, size));
	}

	/** Marks one of the caller's own notifications read; anyone else's is 404. */
	Mono<Void> markRead(Caller caller, String id) {
		caller.requireAnyRole(Caller.CITIZEN);
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("recipient").is(caller.subject())),
				new Update().set("readAt", this.clock.instant()), Notification.class)
			.flatMap(result -> result.getMatchedCount() == 1 ? Mono.<Void>empty()
					: Mono.error(Problems.notFound("No notification '" + id + "'.")));
	}

}
