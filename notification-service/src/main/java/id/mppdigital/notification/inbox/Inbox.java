package id.mppdigital.notification.inbox;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import id.mppdigital.access.Caller;
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
 * Citizens' in-app inboxes: what each is told (once per event), what they may read (only their own)
 * and marking read. The one class of this feature that touches its collection.
 */
@Component
class Inbox {

	private final ReactiveMongoTemplate mongo;

	private final InboxTexts texts;

	private final Clock clock;

	Inbox(ReactiveMongoTemplate mongo, InboxTexts texts, Clock clock) {
		this.mongo = mongo;
		this.texts = texts;
		this.clock = clock;
	}

	/** A page of the caller's inbox, newest first, in one language. */
	record Page(List<Message> items, long unread, int page, int size) {
	}

	record Message(String id, String applicationId, String state, String title, String body, Instant createdAt,
			boolean read) {
	}

	/**
	 * Tells the applicant that their application moved. The notification's id is the event's, so a
	 * redelivered event is not told twice.
	 */
	Mono<Void> tell(ApplicationStateListener.StateChanged changed) {
		Notification notification = new Notification(changed.eventId(), changed.applicant(), changed.applicationId(),
				changed.state(), this.texts.title(changed), this.texts.body(changed), this.clock.instant(), null);
		return this.mongo.insert(notification).then().onErrorResume(DuplicateKeyException.class, told -> Mono.empty());
	}

	Mono<Page> page(Caller caller, boolean unreadOnly, int page, int size, String language) {
		caller.requireAnyRole(Caller.CITIZEN);
		Criteria mine = Criteria.where("recipient").is(caller.subject());
		Criteria listed = unreadOnly ? Criteria.where("recipient").is(caller.subject()).and("readAt").isNull() : mine;
		Query query = Query.query(listed)
			.with(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("_id")))
			.skip((long) page * size)
			.limit(size);
		Mono<List<Message>> items = this.mongo.find(query, Notification.class)
			.map(found -> new Message(found.id(), found.applicationId(), found.state(), found.title().in(language),
					found.body().in(language), found.createdAt(), found.readAt() != null))
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
