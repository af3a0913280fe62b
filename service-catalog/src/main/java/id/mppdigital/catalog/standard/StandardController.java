package id.mppdigital.catalog.standard;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.catalog.agency.Agencies;
import id.mppdigital.catalog.web.Languages;
import id.mppdigital.defaults.Slug;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Service standards. Public: the current version of each, a given version, the list of versions.
 * Platform administrators: the draft, and publishing it.
 */
@RestController
class StandardController {

	static final String JSON_LD = "application/ld+json";

	private final ServiceStandards standards;

	private final Agencies agencies;

	private final CurrentStandards current;

	StandardController(ServiceStandards standards, Agencies agencies, CurrentStandards current) {
		this.standards = standards;
		this.agencies = agencies;
		this.current = current;
	}

	record Publication(@NotNull LocalDate validFrom) {
	}

	@Operation(summary = "List the current version of every service standard")
	@GetMapping("/standards")
	Flux<StandardView> list(@RequestParam(required = false) String agency) {
		return this.standards.currentAll(agency, this.standards.today()).map(StandardView::of);
	}

	@Operation(summary = "Read the service standard valid today, or on a given day")
	@GetMapping("/standards/{id}")
	Mono<Object> current(@PathVariable String id, @RequestParam(required = false) LocalDate on,
			ServerWebExchange exchange) {
		if (on == null) {
			// today's version from memory (refreshed with every publish): the hot path of every app
			StandardVersion cached = this.current.all().get(id);
			if (cached != null) {
				return Mono.just(inAskedLanguage(StandardView.of(cached), exchange));
			}
		}
		return this.standards.current(id, on == null ? this.standards.today() : on)
			.map(version -> inAskedLanguage(StandardView.of(version), exchange))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version of " + id + " is valid on that day")));
	}

	/** In the one language the client named (with Content-Language), else both. */
	private static Object inAskedLanguage(StandardView view, ServerWebExchange exchange) {
		return Languages.explicit(exchange.getRequest()).<Object>map(language -> {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONTENT_LANGUAGE, language);
			return LocalizedStandardView.of(view, language);
		}).orElse(view);
	}

	@Operation(summary = "List a standard's published versions (and its draft, for platform admins)")
	@GetMapping("/standards/{id}/versions")
	Flux<StandardView> versions(@PathVariable String id, Optional<Caller> caller) {
		return this.standards.versions(id, caller.orElse(null)).map(StandardView::of);
	}

	@Operation(summary = "Read one version of a service standard")
	@GetMapping("/standards/{id}/versions/{version}")
	Mono<Object> version(@PathVariable String id, @PathVariable @Positive int version, Optional<Caller> caller,
			ServerWebExchange exchange) {
		return this.standards.version(id, version, caller.orElse(null))
			.map(found -> inAskedLanguage(StandardView.of(found), exchange))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version " + version + " of " + id)));
	}

	/** The current version as CPSV-AP JSON-LD ({@code Accept: application/ld+json}). */
	@Operation(summary = "Read the service standard valid today, or on a given day")
	@GetMapping(path = "/standards/{id}", produces = JSON_LD)
	Mono<Map<String, Object>> currentAsLinkedData(@PathVariable String id, ServerWebExchange exchange) {
		return linkedData(this.standards.current(id, this.standards.today()), exchange)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version of " + id + " is valid today")));
	}

	/** A published version as CPSV-AP JSON-LD. */
	@Operation(summary = "Read one version of a service standard")
	@GetMapping(path = "/standards/{id}/versions/{version}", produces = JSON_LD)
	Mono<Map<String, Object>> versionAsLinkedData(@PathVariable String id, @PathVariable @Positive int version,
			ServerWebExchange exchange) {
		return linkedData(this.standards.version(id, version, null), exchange)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No version " + version + " of " + id)));
	}

	private Mono<Map<String, Object>> linkedData(Mono<StandardVersion> version, ServerWebExchange exchange) {
		// the public URL: scheme, host and the gateway's prefix (X-Forwarded-*), not this instance's
		String base = UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.replacePath(exchange.getRequest().getPath().contextPath().value())
			.replaceQuery(null)
			.toUriString();
		return version.flatMap(found -> this.agencies.find(found.content().agencyId())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map(agency -> CpsvExport.of(found, agency.orElse(null), base)));
	}

	@Operation(summary = "Create or replace the draft of a standard's next version")
	@ApiResponse(responseCode = "200", description = "The draft")
	@ApiResponse(responseCode = "409", description = "That version was published meanwhile: read the versions and put the draft again")
	@PutMapping("/standards/{id}/draft")
	@Allowed({ Caller.PLATFORM_ADMIN })
	Mono<StandardView> putDraft(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id,
			@Valid @RequestBody StandardContent content, Caller caller) {
		return this.standards.putDraft(id, content, caller).map(StandardView::of);
	}

	@Operation(summary = "Publish the draft as a new version, valid from a day")
	@ApiResponse(responseCode = "200", description = "The version published")
	@ApiResponse(responseCode = "409", description = "There is no draft to publish, or it was published meanwhile")
	@PostMapping("/standards/{id}/publish")
	@Allowed({ Caller.PLATFORM_ADMIN })
	Mono<StandardView> publish(@PathVariable String id, @Valid @RequestBody Publication publication, Caller caller) {
		return this.standards.publish(id, publication.validFrom(), caller).map(StandardView::of);
	}

}
