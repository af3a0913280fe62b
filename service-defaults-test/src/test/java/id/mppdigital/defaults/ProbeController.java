package id.mppdigital.defaults;

import id.mppdigital.problems.Problems;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The probe service's API: one way to fail of each kind. */
@RestController
class ProbeController {

	@GetMapping("/things/{id}")
	Mono<String> thing(@PathVariable @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id) {
		return Mono.error(Problems.notFound("No thing '" + id + "'."));
	}

	@GetMapping("/broken")
	Mono<String> broken() {
		return Mono.error(new IllegalStateException("a bug, with internals nobody outside should see"));
	}

}
