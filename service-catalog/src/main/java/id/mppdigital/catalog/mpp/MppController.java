package id.mppdigital.catalog.mpp;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Public: which MPPs exist. Served at {@code /api/catalog/mpps} through the gateway. */
@RestController
class MppController {

	private static final Sort BY_NAME = Sort.by("name", "id");

	private final MppRepository mpps;

	MppController(MppRepository mpps) {
		this.mpps = mpps;
	}

	@GetMapping("/mpps")
	Flux<Mpp> list(@RequestParam(required = false) String province) {
		return (province == null) ? this.mpps.findAll(BY_NAME) : this.mpps.findByProvince(province, BY_NAME);
	}

	@GetMapping("/mpps/{id}")
	Mono<Mpp> get(@PathVariable String id) {
		return this.mpps.findById(id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No MPP with id " + id)));
	}

}
