package id.mppdigital.catalog.offering;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

interface OfferingRepository extends ReactiveCrudRepository<Offering, String> {

}
