package id.mppdigital.queue.tickets;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.queue.tickets.Estimates.TicketView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An officer's console: the counter's operations, each on the counter's one current ticket
 * ({@link Desks}). Officers only, of the MPP and of the counter's agency.
 */
@RestController
class DeskController {

	private final Desks desks;

	private final Estimates estimates;

	DeskController(Desks desks, Estimates estimates) {
		this.desks = desks;
		this.estimates = estimates;
	}

	record DeskView(String mppId, int number, boolean open, java.util.List<String> lines) {
	}

	/** Where to send a ticket: a queue of the MPP, or one counter. */
	record Transfer(@Pattern(regexp = "[A-Z]{1,3}", message = "must be a queue's letters, as A") String queue,
			@Min(1) @Max(999) Integer counter) {
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Open a counter for calls")
	@PostMapping("/mpps/{mpp}/counters/{number}/open")
	Mono<DeskView> open(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.open(mpp, number, caller).map(DeskController::view);
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Close a counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/close")
	Mono<DeskView> close(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.close(mpp, number, caller).map(DeskController::view);
	}

	/** The ticket called, or 204 when nobody waits for this counter. */
	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Call the next ticket to a counter")
	@ApiResponse(responseCode = "200", description = "The ticket called")
	@ApiResponse(responseCode = "204", description = "Nobody is waiting for this counter")
	@ApiResponse(responseCode = "409", description = "The counter is not open, or still has an active ticket")
	@PostMapping("/mpps/{mpp}/counters/{number}/call-next")
	Mono<ResponseEntity<TicketView>> callNext(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			Caller caller) {
		return this.desks.callNext(mpp, number, caller)
			.flatMap(this.estimates::view)
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.noContent().build());
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Call the counter's ticket again")
	@ApiResponse(responseCode = "200", description = "The ticket, called again")
	@ApiResponse(responseCode = "409", description = "No ticket is called at this counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/recall")
	Mono<TicketView> recall(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.recall(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Start serving the called ticket")
	@ApiResponse(responseCode = "200", description = "The ticket, being served")
	@ApiResponse(responseCode = "409", description = "No ticket is called at this counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/start")
	Mono<TicketView> start(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.start(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Finish serving the ticket")
	@ApiResponse(responseCode = "200", description = "The ticket, served")
	@ApiResponse(responseCode = "409", description = "No ticket is being served at this counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/finish")
	Mono<TicketView> finish(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.finish(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Mark the called ticket as a no-show")
	@ApiResponse(responseCode = "200", description = "The ticket, a no-show")
	@ApiResponse(responseCode = "409", description = "No ticket is called at this counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/no-show")
	Mono<TicketView> noShow(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.noShow(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@Operation(summary = "Transfer the counter's ticket to another service's queue")
	@ApiResponse(responseCode = "200", description = "The ticket, waiting in its new queue")
	@ApiResponse(responseCode = "409", description = "No ticket is at this counter")
	@PostMapping("/mpps/{mpp}/counters/{number}/transfer")
	Mono<TicketView> transfer(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			@Valid @RequestBody Transfer to, Caller caller) {
		return this.desks.transfer(mpp, number, to.queue(), to.counter(), caller).flatMap(this.estimates::view);
	}

	private static DeskView view(Desk desk) {
		return new DeskView(desk.mppId(), desk.number(), desk.open(), desk.lines());
	}

}
