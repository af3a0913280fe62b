package id.mppdigital.defaults;

import java.util.List;
import java.util.Optional;

import id.mppdigital.access.Caller;
import id.mppdigital.problems.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The probe service's API: one way to fail of each kind. */
@RestController
class ProbeController {

	@GetMapping("/things/{id}")
	Mono<String> thing(@PathVariable @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id) {
		return Mono.error(Problems.notFound("No thing '" + id + "'."));
	}

	record Renaming(@NotBlank String name) {
	}

	/** Secured: a token, a body, a caller. */
	@PutMapping("/things/{id}")
	@Operation(summary = "Rename a thing")
	@ApiResponse(responseCode = "200", description = "Renamed")
	@ApiResponse(responseCode = "409", description = "Renamed by someone else at the same time")
	Mono<Renaming> rename(@PathVariable String id, @Valid @RequestBody Renaming renaming, Caller caller) {
		return Mono.just(renaming);
	}

	/** Public, and the caller's own when a token comes with it. */
	@GetMapping("/things")
	@Operation(summary = "List things")
	Mono<List<String>> list(Optional<Caller> caller) {
		return Mono.just(List.of());
	}

	@GetMapping("/broken")
	Mono<String> broken() {
		return Mono.error(new IllegalStateException("a bug, with internals nobody outside should see"));
	}

}
