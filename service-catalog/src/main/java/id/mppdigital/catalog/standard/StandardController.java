package id.mppdigital.catalog.standard;

import java.time.LocalDate;
import java.util.Optional;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.web.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Service standards. Public: the current version of each, a given version, the list of versions.
 * Platform administrators: the draft, and publishing it.
 */
@RestController
class StandardController {

	private final ServiceStandards standards;

	StandardController(ServiceStandards standards) {
		this.standards = standards;
	}

	record Publication(@NotNull LocalDate validFrom) {
	}

	@GetMapping("/standards")
	Flux<StandardView> list(@RequestParam(required = false) String agency) {
		return this.standards.currentAll(agency, this.standards.today()).map(StandardView::of);
	}

	@GetMapping("/standards/{id}")
	Mono<StandardView> current(@PathVariable String id, @RequestParam(required = false) LocalDate on) {
		return this.standards.current(id, on == null ? this.standards.today() : on)
			.map(StandardView::of)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version of " + id + " is valid on that day")));
	}

	@GetMapping("/standards/{id}/versions")
	Flux<StandardView> versions(@PathVariable String id, Optional<Caller> caller) {
		return this.standards.versions(id, caller.orElse(null)).map(StandardView::of);
	}

	@GetMapping("/standards/{id}/versions/{version}")
	Mono<StandardView> version(@PathVariable String id, @PathVariable @Positive int version, Optional<Caller> caller) {
		return this.standards.version(id, version, caller.orElse(null))
			.map(StandardView::of)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version " + version + " of " + id)));
	}

	@PutMapping("/standards/{id}/draft")
	Mono<StandardView> putDraft(
			@PathVariable @Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+){0,9}", message = "must be a lowercase slug") String id,
			@Valid @RequestBody StandardContent content, Caller caller) {
		return this.standards.putDraft(id, content, caller).map(StandardView::of);
	}

	@PostMapping("/standards/{id}/publish")
	Mono<StandardView> publish(@PathVariable String id, @Valid @RequestBody Publication publication, Caller caller) {
		return this.standards.publish(id, publication.validFrom(), caller).map(StandardView::of);
	}

}
