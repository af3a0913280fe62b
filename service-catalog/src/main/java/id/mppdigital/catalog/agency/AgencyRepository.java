package id.mppdigital.catalog.agency;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import org.springframework.data.repository.reactive.ReactiveSortingRepository;

public interface AgencyRepository extends ReactiveCrudRepository<Agency, String>, ReactiveSortingRepository<Agency, String> {
}
