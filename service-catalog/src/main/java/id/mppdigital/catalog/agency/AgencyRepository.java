package id.mppdigital.catalog.agency;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

interface AgencyRepository extends ReactiveCrudRepository<Agency, String> {
}
