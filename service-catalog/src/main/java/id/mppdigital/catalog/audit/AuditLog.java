package id.mppdigital.catalog.audit;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import id.mppdigital.access.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Records every administrative change after it is stored. (Without multi-document transactions on
 * the embedded store the change and its entry are two writes: a crash between them loses the entry,
 * never the change.)
 */
@Component
public class AuditLog {

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	AuditLog(ReactiveMongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	public <T> Mono<T> record(Caller caller, String action, String target, Object before, T after) {
		AuditEntry entry = new AuditEntry(null, Instant.now(this.clock), caller.subject(),
				caller.roles().stream().sorted().toList(), action, target, before, after);
		return this.mongo.insert(entry).thenReturn(after);
	}

	/**
	 * The usual administrative change: read what is there, write the new state, record both as
	 * {@code <subject>.create} or {@code <subject>.update}; {@link Change#response} answers 201 or 200.
	 */
	public <T> Mono<Change<T>> replace(Caller caller, String subject, String target, Mono<T> current, Mono<T> write) {
		return current.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(before -> write
				.flatMap(after -> record(caller, subject + (before.isPresent() ? ".update" : ".create"), target,
						before.orElse(null), after))
				.map(after -> new Change<>(before.orElse(null), after)));
	}

	/** A stored change: {@code before} is null when the record was created. */
	public record Change<T>(T before, T after) {

		/** 201 with the record's location when it was created, else 200; the new state as the body. */
		public ResponseEntity<T> response(String location) {
			return this.before == null ? ResponseEntity.created(URI.create(location)).body(this.after)
					: ResponseEntity.ok(this.after);
		}

	}

	/** Newest first; {@code target} narrows to one record, e.g. {@code mpps/kota-surabaya}. */
	public Flux<AuditEntry> find(String target, int limit) {
		Query query = target == null ? new Query() : Query.query(Criteria.where("target").is(target));
		return this.mongo.find(query.with(Sort.by(Sort.Direction.DESC, "at")).limit(limit), AuditEntry.class);
	}

}
