package id.mppdigital.catalog.agency;

import java.text.Collator;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The agencies: public reads, and for the catalog's other features (standards, counters) whether one
 * exists and what it is; platform administrators add and edit them. Only this feature reads and
 * writes its collection.
 */
@Component
public class Agencies {

	/** By name as people read it (the store sorts by code point: "BPJS" before "Badan"). */
	private static final Comparator<Agency> BY_NAME = Comparator
		.comparing((Agency agency) -> agency.name(), Collator.getInstance(Locale.forLanguageTag("id")))
		.thenComparing(Agency::id);

	private final AgencyRepository agencies;

	private final AuditLog audit;

	Agencies(AgencyRepository agencies, AuditLog audit) {
		this.agencies = agencies;
		this.audit = audit;
	}

	public Mono<Agency> find(String id) {
		return this.agencies.findById(id);
	}

	public Mono<Boolean> exists(String id) {
		return this.agencies.existsById(id);
	}

	Flux<Agency> list() {
		return this.agencies.findAll().collectSortedList(BY_NAME).flatMapIterable(Function.identity());
	}

	/** The agency, or a 404 problem. */
	Mono<Agency> get(String id) {
		return this.agencies.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("No agency with id " + id)));
	}

	/** Adds or replaces an agency (platform administrators only), audited. */
	Mono<AuditLog.Change<Agency>> put(String id, AgencyDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		Agency agency = details.toAgency(id);
		return this.audit.replace(caller, "agency", "agencies/" + id, this.agencies.findById(id), this.agencies.save(agency));
	}

}
