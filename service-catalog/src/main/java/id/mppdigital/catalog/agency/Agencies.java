package id.mppdigital.catalog.agency;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The agencies as the catalog's other features see them (standards, counters): whether one exists
 * and what it is. Only this feature reads and writes its collection.
 */
@Component
public class Agencies {

	private final AgencyRepository agencies;

	Agencies(AgencyRepository agencies) {
		this.agencies = agencies;
	}

	public Mono<Agency> find(String id) {
		return this.agencies.findById(id);
	}

	public Mono<Boolean> exists(String id) {
		return this.agencies.existsById(id);
	}

}
