package id.mppdigital.queue.tickets;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Slug;
import id.mppdigital.queue.board.Board;
import id.mppdigital.queue.tickets.Estimates.TicketView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tickets as kiosks and citizens' apps reach them, at the root of the service (the gateway strips
 * {@code /api/queues}). Taking a walk-in ticket needs no token (a kiosk); with a citizen's token the
 * ticket is theirs and counts under their daily limit. The ticket's id is what its holder keeps (the
 * kiosk prints it as a QR code): with it anyone may follow or cancel that ticket, and nothing else.
 */
@RestController
class TicketController {

	private final Tickets tickets;

	private final Estimates estimates;

	private final Board board;

	private final Duration heartbeat;

	private final Duration updates;

	TicketController(Tickets tickets, Estimates estimates, Board board,
			@Value("${mpp.queue.board-heartbeat:15s}") Duration heartbeat,
			@Value("${mpp.queue.ticket-stream-interval:1s}") Duration updates) {
		this.tickets = tickets;
		this.estimates = estimates;
		this.board = board;
		this.heartbeat = heartbeat;
		this.updates = updates;
	}

	/** Why a ticket is called before walk-ins. */
	enum Priority {

		ELDERLY, DISABLED, PREGNANT

	}

	/** What a kiosk or app sends: the service, and a priority need when there is one. */
	record TakeTicket(@NotBlank @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String standardId,
			Priority priority) {
	}

	@Operation(summary = "Take a queue ticket")
	@ApiResponse(responseCode = "201", description = "Taken; Location names it")
	@ApiResponse(responseCode = "200", description = "Taken before under the same Idempotency-Key: the same ticket")
	@PostMapping("/mpps/{mpp}/tickets")
	Mono<ResponseEntity<TicketView>> take(@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN,
			message = Slug.MESSAGE) String mpp, @Valid @RequestBody TakeTicket request, Optional<Caller> caller,
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 8, max = 100)
			@Pattern(regexp = "[\\x21-\\x7e]+") String idempotencyKey,
			ServerWebExchange exchange) {
		String holder = caller.filter(known -> known.has(Caller.CITIZEN)).map(Caller::subject).orElse(null);
		return this.tickets.issue(mpp, request.standardId(), request.priority() != null, holder, idempotencyKey)
			.flatMap(issued -> this.estimates.view(issued.ticket()).map(view -> {
				URI location = URI.create(exchange.getRequest().getPath().contextPath().value() + "/tickets/" + view.id());
				// a repeat of the same request: the same ticket, not a new one
				return (issued.created() ? ResponseEntity.created(location) : ResponseEntity.ok().location(location))
					.cacheControl(CacheControl.noStore())
					.body(view);
			}));
	}

	@Operation(summary = "Read a ticket: its place, estimate and counter")
	@GetMapping("/tickets/{id}")
	Mono<ResponseEntity<TicketView>> ticket(@PathVariable @Size(max = 64) String id) {
		return this.tickets.find(id).flatMap(this.estimates::view)
			.map(view -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view));
	}

	/**
	 * The holder's phone follows the ticket: its view now, then again whenever its place, estimate or
	 * state changed (looked at after the MPP's board moved, at most every
	 * {@code mpp.queue.ticket-stream-interval}); the stream ends with the ticket.
	 */
	@Operation(summary = "Follow a ticket until it ends (Server-Sent Events)")
	@GetMapping(path = "/tickets/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<TicketView>> follow(@PathVariable @Size(max = 64) String id) {
		return this.tickets.find(id).flatMapMany(first -> {
			Flux<Boolean> moved = Flux.concat(Flux.just(true), this.board.live(first.mppId()).sample(this.updates).map(any -> true));
			Flux<ServerSentEvent<TicketView>> views = moved
				.concatMap(any -> this.tickets.find(id).flatMap(this.estimates::view))
				.distinctUntilChanged(view -> java.util.Arrays.asList(view.state(), view.position(), view.estimate(),
						view.counter(), view.recalls()))
				.takeUntil(view -> !view.state().active())
				.map(view -> ServerSentEvent.builder(view).event(view.state().name()).build());
			return Board.heartbeats(views, this.heartbeat);
		});
	}

	@Operation(summary = "Cancel a ticket")
	@ApiResponse(responseCode = "200", description = "The ticket, cancelled")
	@ApiResponse(responseCode = "409", description = "The ticket is being served or has ended")
	@PostMapping("/tickets/{id}/cancel")
	Mono<TicketView> cancel(@PathVariable @Size(max = 64) String id, Optional<Caller> caller) {
		return this.tickets.cancel(id, caller.map(Caller::subject).orElse(null)).flatMap(this.estimates::view);
	}

}
