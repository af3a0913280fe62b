package id.mppdigital.catalog.offering;

import reactor.core.publisher.Flux;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

public interface OfferingRepository extends ReactiveCrudRepository<Offering, String> {

	Flux<Offering> findByMppId(String mppId);

}
