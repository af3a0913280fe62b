package id.mppdigital.catalog.counter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.agency.Agencies;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.catalog.mpp.Mpps;
import id.mppdigital.catalog.search.CatalogSearch;
import id.mppdigital.catalog.standard.StandardVersion;
import id.mppdigital.problems.Problems;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * An MPP's counters (loket): anyone may list them; the MPP's administrator (or a platform
 * administrator) sets one up with its agency and the published services it serves, or removes it.
 * Whoever keeps a view of the counters is told of each change ({@link CounterChanges}).
 */
@Component
class Counters {

	private final ReactiveMongoTemplate mongo;

	private final Mpps mpps;

	private final Agencies agencies;

	private final CatalogSearch search;

	private final AuditLog audit;

	private final CounterChanges changes;

	Counters(ReactiveMongoTemplate mongo, Mpps mpps, Agencies agencies, CatalogSearch search, AuditLog audit,
			CounterChanges changes) {
		this.mongo = mongo;
		this.mpps = mpps;
		this.agencies = agencies;
		this.search = search;
		this.audit = audit;
		this.changes = changes;
	}

	/** What an administrator says of a counter. */
	record CounterDetails(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 64) String agencyId,
			@NotNull @Size(max = 200) List<@NotBlank String> standardIds) {
	}

	Flux<Counter> list(String mpp) {
		return this.mpps.requireExisting(mpp)
			.thenMany(this.mongo.find(Query.query(Criteria.where("mppId").is(mpp)), Counter.class))
			.sort(Comparator.comparingInt(Counter::number));
	}

	/** Sets counter {@code number} up; 422 naming each service that is unpublished or another agency's. */
	Mono<AuditLog.Change<Counter>> put(String mpp, int number, CounterDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		List<Problems.FieldError> problems = new ArrayList<>();
		for (int i = 0; i < details.standardIds().size(); i++) {
			StandardVersion standard = this.search.current().get(details.standardIds().get(i));
			if (standard == null) {
				problems.add(new Problems.FieldError("standardIds[" + i + "]", "no published service standard"));
			}
			else if (!standard.content().agencyId().equals(details.agencyId())) {
				problems.add(new Problems.FieldError("standardIds[" + i + "]",
						"is a service of " + standard.content().agencyId() + ", not of " + details.agencyId()));
			}
		}
		Counter counter = new Counter(Counter.id(mpp, number), mpp, number, details.name().strip(), details.agencyId(),
				List.copyOf(details.standardIds()));
		String target = "mpps/" + mpp + "/counters/" + number;
		return this.mpps.requireExisting(mpp).then(this.agencies.exists(details.agencyId())).flatMap(agencyExists -> {
			if (!agencyExists) {
				problems.add(0, new Problems.FieldError("agencyId", "no agency with id " + details.agencyId()));
			}
			if (!problems.isEmpty()) {
				return Mono.error(Problems.unprocessable(problems));
			}
			return this.audit
				.replace(caller, "counter", target, this.mongo.findById(counter.id(), Counter.class),
						this.mongo.save(counter))
				.flatMap(change -> this.changes.countersChanged().thenReturn(change));
		});
	}

	/** Removes counter {@code number}, if it is there. */
	Mono<Void> delete(String mpp, int number, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		return this.mongo.findAndRemove(Query.query(Criteria.where("_id").is(Counter.id(mpp, number))), Counter.class)
			.flatMap(removed -> this.audit.record(caller, "counter.delete", "mpps/" + mpp + "/counters/" + number, removed, "")
				.then(this.changes.countersChanged()));
	}

}
