package id.mppdigital.catalog.standard;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;

interface StandardVersionRepository extends ReactiveCrudRepository<StandardVersion, String> {

	Flux<StandardVersion> findByStandardId(String standardId, Sort sort);

	Flux<StandardVersion> findByStatus(StandardVersion.Status status, Sort sort);

	Flux<StandardVersion> findByStatusAndEventSent(StandardVersion.Status status, boolean eventSent);

}
