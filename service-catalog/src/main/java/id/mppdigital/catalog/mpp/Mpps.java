package id.mppdigital.catalog.mpp;

import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The MPPs as the catalog's other features see them (calendars, counters, offerings): whether one
 * exists and what it is. Only this feature reads and writes its collection.
 */
@Component
public class Mpps {

	private final MppRepository mpps;

	Mpps(MppRepository mpps) {
		this.mpps = mpps;
	}

	public Mono<Mpp> find(String id) {
		return this.mpps.findById(id);
	}

	/** Completes when the MPP exists; a 404 problem otherwise (for its sub-resources). */
	public Mono<Void> requireExisting(String mppId) {
		return this.mpps.existsById(mppId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(Problems.notFound("No MPP with id " + mppId)));
	}

}
