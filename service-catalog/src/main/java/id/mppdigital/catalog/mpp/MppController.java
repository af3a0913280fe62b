package id.mppdigital.catalog.mpp;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which MPPs exist (public reads), and onboarding and editing them with a PUT to the MPP's URL
 * ({@link Mpps} holds the rules). Served at {@code /api/catalog/mpps} through the gateway.
 */
@RestController
class MppController {

	private final Mpps mpps;

	MppController(Mpps mpps) {
		this.mpps = mpps;
	}

	@Operation(summary = "List the MPPs")
	@GetMapping("/mpps")
	Flux<Mpp> list(@RequestParam(required = false) String province) {
		return this.mpps.list(province);
	}

	@Operation(summary = "Read one MPP")
	@GetMapping("/mpps/{id}")
	Mono<Mpp> get(@PathVariable String id) {
		return this.mpps.get(id);
	}

	/** Creates (201) or replaces (200) an MPP's details. */
	@Operation(summary = "Onboard an MPP, or change it")
	@ApiResponse(responseCode = "201", description = "Added")
	@ApiResponse(responseCode = "200", description = "Changed")
	@PutMapping("/mpps/{id}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<ResponseEntity<Mpp>> put(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String id,
			@Valid @RequestBody MppDetails details, Caller caller) {
		return this.mpps.put(id, details, caller).map(change -> change.response("/mpps/" + id));
	}

}
