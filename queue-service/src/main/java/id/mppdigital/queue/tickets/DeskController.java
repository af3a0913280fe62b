package id.mppdigital.queue.tickets;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.queue.tickets.Estimates.TicketView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

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
	@PostMapping("/mpps/{mpp}/counters/{number}/open")
	Mono<DeskView> open(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.open(mpp, number, caller).map(DeskController::view);
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/close")
	Mono<DeskView> close(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.close(mpp, number, caller).map(DeskController::view);
	}

	/** The ticket called, or 204 when nobody waits for this counter. */
	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/call-next")
	Mono<ResponseEntity<TicketView>> callNext(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			Caller caller) {
		return this.desks.callNext(mpp, number, caller)
			.flatMap(this.estimates::view)
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.noContent().build());
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/recall")
	Mono<TicketView> recall(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.recall(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/start")
	Mono<TicketView> start(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.start(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/finish")
	Mono<TicketView> finish(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.finish(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/no-show")
	Mono<TicketView> noShow(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number, Caller caller) {
		return this.desks.noShow(mpp, number, caller).flatMap(this.estimates::view);
	}

	@Allowed({ Caller.OFFICER })
	@PostMapping("/mpps/{mpp}/counters/{number}/transfer")
	Mono<TicketView> transfer(@PathVariable String mpp, @PathVariable @Min(1) @Max(999) int number,
			@Valid @RequestBody Transfer to, Caller caller) {
		return this.desks.transfer(mpp, number, to.queue(), to.counter(), caller).flatMap(this.estimates::view);
	}

	private static DeskView view(Desk desk) {
		return new DeskView(desk.mppId(), desk.number(), desk.open(), desk.lines());
	}

}
