package id.mppdigital.catalog.mpp;

import java.net.URI;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.defaults.Slug;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which MPPs exist (public reads), and onboarding and editing them: a platform administrator
 * onboards a new MPP with a PUT to its future URL, and edits any; an MPP administrator edits only
 * their own. Served at {@code /api/catalog/mpps} through the gateway.
 */
@RestController
class MppController {

	private static final Sort BY_NAME = Sort.by("name", "id");

	private final MppRepository mpps;

	private final AuditLog audit;

	MppController(MppRepository mpps, AuditLog audit) {
		this.mpps = mpps;
		this.audit = audit;
	}

	@GetMapping("/mpps")
	Flux<Mpp> list(@RequestParam(required = false) String province) {
		return (province == null) ? this.mpps.findAll(BY_NAME) : this.mpps.findByProvince(province, BY_NAME);
	}

	@GetMapping("/mpps/{id}")
	Mono<Mpp> get(@PathVariable String id) {
		return this.mpps.findById(id)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No MPP with id " + id)));
	}

	/**
	 * Creates (201, platform administrators only) or replaces (200) an MPP's details. The id is the
	 * path's; nothing in the body can point the change at another MPP.
	 */
	@PutMapping("/mpps/{id}")
	Mono<ResponseEntity<Mpp>> put(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id,
			@Valid @RequestBody MppDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(id);
		Mpp mpp = details.toMpp(id);
		String target = "mpps/" + id;
		return this.mpps.findById(id)
			.flatMap(before -> this.mpps.save(mpp)
				.flatMap(after -> this.audit.record(caller, "mpp.update", target, before, after))
				.map(ResponseEntity::ok))
			.switchIfEmpty(Mono.defer(() -> {
				caller.requireAnyRole(Caller.PLATFORM_ADMIN);
				return this.mpps.insert(mpp)
					.flatMap(after -> this.audit.record(caller, "mpp.create", target, null, after))
					.map(created -> ResponseEntity.created(URI.create("/mpps/" + id)).body(created))
					// onboarded by someone else meanwhile: this PUT replaces it, as it would a moment later
					.onErrorResume(DuplicateKeyException.class, ex -> this.mpps.save(mpp)
						.flatMap(after -> this.audit.record(caller, "mpp.update", target, null, after))
						.map(ResponseEntity::ok));
			}));
	}

}
