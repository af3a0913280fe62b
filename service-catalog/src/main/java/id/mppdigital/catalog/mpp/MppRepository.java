package id.mppdigital.catalog.mpp;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.repository.ReactiveMongoRepository;

public interface MppRepository extends ReactiveMongoRepository<Mpp, String> {

	Flux<Mpp> findByProvince(String province, Sort sort);

}
