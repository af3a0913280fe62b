package id.mppdigital.catalog.counter;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** An MPP's counters: public list; its administrator sets them up ({@link Counters}). */
@RestController
class CounterController {

	private final Counters counters;

	CounterController(Counters counters) {
		this.counters = counters;
	}

	@Operation(summary = "List an MPP's counters")
	@GetMapping("/mpps/{mpp}/counters")
	Flux<Counter> list(@PathVariable String mpp) {
		return this.counters.list(mpp);
	}

	@Operation(summary = "Add or change a counter")
	@ApiResponse(responseCode = "201", description = "Added")
	@ApiResponse(responseCode = "200", description = "Changed")
	@PutMapping("/mpps/{mpp}/counters/{number}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<ResponseEntity<Counter>> put(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			@Valid @RequestBody Counters.CounterDetails details, Caller caller) {
		return this.counters.put(mpp, number, details, caller)
			.map(change -> change.response("/mpps/" + mpp + "/counters/" + number));
	}

	@Operation(summary = "Remove a counter")
	@ApiResponse(responseCode = "204", description = "Done; nothing to return")
	@DeleteMapping("/mpps/{mpp}/counters/{number}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<ResponseEntity<Void>> delete(@PathVariable String mpp, @PathVariable int number, Caller caller) {
		return this.counters.delete(mpp, number, caller).thenReturn(ResponseEntity.noContent().<Void>build());
	}

}
