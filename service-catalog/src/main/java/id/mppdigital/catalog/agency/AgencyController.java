package id.mppdigital.catalog.agency;

import java.text.Collator;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.defaults.Slug;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Agencies: public reads; platform administrators add and edit them. */
@RestController
class AgencyController {

	private final AgencyRepository agencies;

	private final AuditLog audit;

	AgencyController(AgencyRepository agencies, AuditLog audit) {
		this.agencies = agencies;
		this.audit = audit;
	}

	/** By name as people read it (the store sorts by code point: "BPJS" before "Badan"). */
	private static final Comparator<Agency> BY_NAME = Comparator
		.comparing((Agency agency) -> agency.name(), Collator.getInstance(Locale.forLanguageTag("id")))
		.thenComparing(Agency::id);

	@GetMapping("/agencies")
	Flux<Agency> list() {
		return this.agencies.findAll().collectSortedList(BY_NAME).flatMapIterable(Function.identity());
	}

	@GetMapping("/agencies/{id}")
	Mono<Agency> get(@PathVariable String id) {
		return this.agencies.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("No agency with id " + id)));
	}

	@PutMapping("/agencies/{id}")
	Mono<ResponseEntity<Agency>> put(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id,
			@Valid @RequestBody AgencyDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		Agency agency = details.toAgency(id);
		return this.audit
			.replace(caller, "agency", "agencies/" + id, this.agencies.findById(id), this.agencies.save(agency))
			.map(change -> change.response("/agencies/" + id));
	}

}
