package id.mppdigital.catalog.audit;

import id.mppdigital.access.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Flux;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who changed what in the catalog, for platform administrators. */
@RestController
class AuditController {

	private final AuditLog log;

	AuditController(AuditLog log) {
		this.log = log;
	}

	@Operation(summary = "Read who changed what in the catalog, newest first")
	@GetMapping("/audit")
	Flux<AuditEntry> find(@RequestParam(required = false) String target,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		return this.log.find(target, limit);
	}

}
