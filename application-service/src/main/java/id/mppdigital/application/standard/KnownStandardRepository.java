package id.mppdigital.application.standard;

import reactor.core.publisher.Flux;

import org.springframework.data.mongodb.repository.ReactiveMongoRepository;

interface KnownStandardRepository extends ReactiveMongoRepository<KnownStandard, String> {

	Flux<KnownStandard> findByStandardId(String standardId);

}
