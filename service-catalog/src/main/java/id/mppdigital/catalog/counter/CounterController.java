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
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** An MPP's counters: public list; its administrator sets them up. */
@RestController
class CounterController {

	private final ReactiveMongoTemplate mongo;

	private final Mpps mpps;

	private final Agencies agencies;

	private final CatalogSearch search;

	private final AuditLog audit;

	private final CounterChanges changes;

	CounterController(ReactiveMongoTemplate mongo, Mpps mpps, Agencies agencies, CatalogSearch search,
			AuditLog audit, CounterChanges changes) {
		this.changes = changes;
		this.mongo = mongo;
		this.mpps = mpps;
		this.agencies = agencies;
		this.search = search;
		this.audit = audit;
	}

	record CounterDetails(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 64) String agencyId,
			@NotNull @Size(max = 200) List<@NotBlank String> standardIds) {
	}

	@GetMapping("/mpps/{mpp}/counters")
	Flux<Counter> list(@PathVariable String mpp) {
		return this.mpps.requireExisting(mpp).thenMany(this.mongo.find(Query.query(Criteria.where("mppId").is(mpp)), Counter.class))
			.sort(Comparator.comparingInt(Counter::number));
	}

	@PutMapping("/mpps/{mpp}/counters/{number}")
	Mono<ResponseEntity<Counter>> put(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			@Valid @RequestBody CounterDetails details, Caller caller) {
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
				.flatMap(change -> this.changes.countersChanged().thenReturn(change.response("/" + target)));
		});
	}

	@DeleteMapping("/mpps/{mpp}/counters/{number}")
	Mono<ResponseEntity<Void>> delete(@PathVariable String mpp, @PathVariable int number, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		return this.mongo.findAndRemove(Query.query(Criteria.where("_id").is(Counter.id(mpp, number))), Counter.class)
			.flatMap(removed -> this.audit.record(caller, "counter.delete", "mpps/" + mpp + "/counters/" + number, removed,
					"")
				.then(this.changes.countersChanged()))
			.thenReturn(ResponseEntity.noContent().<Void>build());
	}


}
