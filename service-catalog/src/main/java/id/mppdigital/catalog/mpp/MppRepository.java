package id.mppdigital.catalog.mpp;

import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.repository.ReactiveMongoRepository;

interface MppRepository extends ReactiveMongoRepository<Mpp, String> {

	Flux<Mpp> findByProvince(String province, Sort sort);

	/** Completes when the MPP exists; a 404 problem otherwise (for its sub-resources). */
	default Mono<Void> requireExisting(String mppId) {
		return existsById(mppId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(Problems.notFound("No MPP with id " + mppId)));
	}

}
