package id.mppdigital.catalog.mpp;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/**
 * The MPPs: which exist and what they are (public, and for the catalog's other features: calendars,
 * counters, offerings), and onboarding and editing them — a platform administrator onboards a new MPP
 * and edits any; an MPP administrator edits only their own. Only this feature reads and writes its
 * collection.
 */
@Component
public class Mpps {

	private static final Sort BY_NAME = Sort.by("name", "id");

	private final MppRepository mpps;

	private final AuditLog audit;

	Mpps(MppRepository mpps, AuditLog audit) {
		this.mpps = mpps;
		this.audit = audit;
	}

	public Mono<Mpp> find(String id) {
		return this.mpps.findById(id);
	}

	/** The MPP, or a 404 problem. */
	public Mono<Mpp> get(String id) {
		return this.mpps.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("No MPP with id " + id)));
	}

	/** Completes when the MPP exists; a 404 problem otherwise (for its sub-resources). */
	public Mono<Void> requireExisting(String mppId) {
		return this.mpps.existsById(mppId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(Problems.notFound("No MPP with id " + mppId)));
	}

	Flux<Mpp> list(String province) {
		return (province == null) ? this.mpps.findAll(BY_NAME) : this.mpps.findByProvince(province, BY_NAME);
	}

	/**
	 * Creates (platform administrators only) or replaces an MPP's details, audited. The id is the
	 * caller's choice of URL; nothing in the details can point the change at another MPP.
	 */
	Mono<AuditLog.Change<Mpp>> put(String id, MppDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(id);
		Mpp mpp = details.toMpp(id);
		String target = "mpps/" + id;
		return this.mpps.findById(id)
			.flatMap(before -> update(caller, target, before, mpp))
			.switchIfEmpty(Mono.defer(() -> {
				caller.requireAnyRole(Caller.PLATFORM_ADMIN);
				return this.mpps.insert(mpp)
					.flatMap(after -> this.audit.record(caller, "mpp.create", target, null, after))
					.map(after -> new AuditLog.Change<Mpp>(null, after))
					// onboarded by someone else meanwhile: this PUT replaces it, as it would a moment later
					.onErrorResume(DuplicateKeyException.class,
							ex -> this.mpps.findById(id).flatMap(before -> update(caller, target, before, mpp)));
			}));
	}

	private Mono<AuditLog.Change<Mpp>> update(Caller caller, String target, Mpp before, Mpp mpp) {
		return this.mpps.save(mpp)
			.flatMap(after -> this.audit.record(caller, "mpp.update", target, before, after))
			.map(after -> new AuditLog.Change<>(before, after));
	}

}
