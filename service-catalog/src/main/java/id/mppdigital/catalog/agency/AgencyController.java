package id.mppdigital.catalog.agency;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Slug;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Agencies: public reads; platform administrators add and edit them ({@link Agencies}). */
@RestController
class AgencyController {

	private final Agencies agencies;

	AgencyController(Agencies agencies) {
		this.agencies = agencies;
	}

	@Operation(summary = "List the agencies")
	@GetMapping("/agencies")
	Flux<Agency> list() {
		return this.agencies.list();
	}

	@Operation(summary = "Read one agency")
	@GetMapping("/agencies/{id}")
	Mono<Agency> get(@PathVariable String id) {
		return this.agencies.get(id);
	}

	@Operation(summary = "Add or change an agency")
	@ApiResponse(responseCode = "201", description = "Added")
	@ApiResponse(responseCode = "200", description = "Changed")
	@PutMapping("/agencies/{id}")
	@Allowed({ Caller.PLATFORM_ADMIN })
	Mono<ResponseEntity<Agency>> put(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id,
			@Valid @RequestBody AgencyDetails details, Caller caller) {
		return this.agencies.put(id, details, caller).map(change -> change.response("/agencies/" + id));
	}

}
