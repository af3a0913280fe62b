package id.mppdigital.catalog.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import id.mppdigital.access.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
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

	/** Newest first; {@code target} narrows to one record, e.g. {@code mpps/kota-surabaya}. */
	public Flux<AuditEntry> find(String target, int limit) {
		Query query = target == null ? new Query() : Query.query(Criteria.where("target").is(target));
		return this.mongo.find(query.with(Sort.by(Sort.Direction.DESC, "at")).limit(limit), AuditEntry.class);
	}

}
