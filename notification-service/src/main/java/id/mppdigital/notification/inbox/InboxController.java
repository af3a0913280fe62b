package id.mppdigital.notification.inbox;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import id.mppdigital.access.Caller;
import id.mppdigital.problems.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * A citizen's in-app inbox ({@code /api/notifications/inbox} through the gateway): their own
 * notifications only, newest first, in the language asked for ({@code Accept-Language}, id default).
 */
@RestController
class InboxController {

	private final ReactiveMongoTemplate mongo;

	InboxController(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	record Message(String id, String applicationId, String state, String title, String body, Instant createdAt,
			boolean read) {
	}

	record Inbox(List<Message> items, long unread, int page, int size) {
	}

	@GetMapping("/inbox")
	Mono<Inbox> inbox(Caller caller, @RequestParam(defaultValue = "false") boolean unreadOnly,
			@RequestParam(defaultValue = "0") @Min(0) int page, @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
			ServerWebExchange exchange) {
		caller.requireAnyRole(Caller.CITIZEN);
		List<Locale> asked = exchange.getRequest().getHeaders().getAcceptLanguageAsLocales();
		String language = !asked.isEmpty() && "en".equals(asked.get(0).getLanguage()) ? "en" : "id";
		exchange.getResponse().getHeaders().set(HttpHeaders.CONTENT_LANGUAGE, language);
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
		return Mono.zip(items, unread).map(both -> new Inbox(both.getT1(), both.getT2(), page, size));
	}

	/** Marks one of the caller's own notifications read; anyone else's is 404. */
	@PostMapping("/inbox/{id}/read")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> read(Caller caller, @PathVariable String id) {
		caller.requireAnyRole(Caller.CITIZEN);
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("recipient").is(caller.subject())),
				new Update().set("readAt", Instant.now()), Notification.class)
			.flatMap(result -> result.getMatchedCount() == 1 ? Mono.<Void>empty()
					: Mono.error(Problems.notFound("No notification '" + id + "'.")));
	}

}
