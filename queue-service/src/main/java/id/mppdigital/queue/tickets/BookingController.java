package id.mppdigital.queue.tickets;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Slug;
import id.mppdigital.queue.tickets.Estimates.TicketView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Booking a visit to a counter online ({@link Bookings}): the free slots of a day (public), booking,
 * reading and cancelling one (the citizen's own only), and checking in when they arrive (by the
 * booking's id, which the kiosk scans from the app).
 */
@RestController
class BookingController {

	private final Bookings bookings;

	private final Estimates estimates;

	private final java.time.Clock clock;

	BookingController(Bookings bookings, Estimates estimates, java.time.Clock clock) {
		this.bookings = bookings;
		this.estimates = estimates;
		this.clock = clock;
	}

	/** One slot as a citizen chooses it: its local start ({@code 09:30}), and the places left. */
	record SlotView(String time, Instant startsAt, Instant endsAt, int capacity, long free) {
	}

	record DayView(String mppId, String standardId, LocalDate date, List<SlotView> slots) {
	}

	/**
	 * What a citizen books: the service, the slot's start in the MPP's local time, and the application
	 * it is for, if any (a tracking number).
	 */
	record BookSlot(@NotBlank @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String standardId,
			@NotNull LocalDateTime start,
			@Pattern(regexp = "PMH-[0-9]{8}-[A-Z0-9]{8}", message = "must be a tracking number, PMH-YYYYMMDD-XXXXXXXX") String applicationId) {
	}

	/** A booking as its holder sees it. */
	record BookingView(String id, String mppId, String standardId, String queue, LocalDate date, String slot,
			Instant startsAt, Instant endsAt, Booking.State state, String applicationId, boolean late, Instant bookedAt,
			String ticketId) {

		static BookingView of(Booking booking) {
			return new BookingView(booking.id(), booking.mppId(), booking.standardId(), booking.queue(), booking.day(),
					booking.slot().toString(), booking.startsAt(), booking.endsAt(), booking.state(), booking.applicationId(),
					booking.late(), booking.bookedAt(),
					booking.state() == Booking.State.CHECKED_IN ? booking.ticketId() : null);
		}

	}

	@Operation(summary = "List a day's booking slots of a service at an MPP")
	@GetMapping("/mpps/{mpp}/services/{standardId}/slots")
	Mono<DayView> slots(@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String mpp,
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String standardId,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
		Instant now = this.clock.instant();
		return this.bookings.slots(mpp, standardId, date)
			.map(day -> new DayView(mpp, standardId, date, day.slots().stream()
				.map(slot -> new SlotView(slot.time().toString(), slot.startsAt(), slot.endsAt(), slot.capacity(),
						Math.min(slot.free(now), day.remainingOnline(now))))
				.toList()));
	}

	@Operation(summary = "Book a slot")
	@ApiResponse(responseCode = "201", description = "Booked; Location names it")
	@ApiResponse(responseCode = "409", description = "The slot, the online places or the day's places are full")
	@PostMapping("/mpps/{mpp}/bookings")
	Mono<ResponseEntity<BookingView>> book(@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN,
			message = Slug.MESSAGE) String mpp, @Valid @RequestBody BookSlot request, Caller caller,
			ServerWebExchange exchange) {
		caller.requireAnyRole(Caller.CITIZEN);
		return this.bookings.book(mpp, request.standardId(), request.start(), request.applicationId(), caller.subject())
			.map(booking -> ResponseEntity
				.created(URI.create(exchange.getRequest().getPath().contextPath().value() + "/bookings/" + booking.id()))
				.cacheControl(CacheControl.noStore())
				.body(BookingView.of(booking)));
	}

	@Operation(summary = "List your bookings")
	@GetMapping("/bookings")
	Flux<BookingView> mine(Caller caller) {
		caller.requireAnyRole(Caller.CITIZEN);
		return this.bookings.of(caller.subject()).map(BookingView::of);
	}

	@Operation(summary = "Read one of your bookings")
	@GetMapping("/bookings/{id}")
	Mono<BookingView> booking(@PathVariable @Size(max = 64) String id, Caller caller) {
		return this.bookings.find(id, caller.subject()).map(BookingView::of);
	}

	@Operation(summary = "Cancel your booking")
	@ApiResponse(responseCode = "200", description = "The booking, cancelled")
	@ApiResponse(responseCode = "409", description = "The booking was checked in or has passed")
	@PostMapping("/bookings/{id}/cancel")
	Mono<BookingView> cancel(@PathVariable @Size(max = 64) String id, Caller caller) {
		return this.bookings.cancel(id, caller.subject()).map(BookingView::of);
	}

	/** The holder arrived: their ticket, the same one however often the kiosk asks. */
	@Operation(summary = "Check a booking in at the kiosk: its ticket")
	@ApiResponse(responseCode = "200", description = "The booking's ticket (the same one however often it is checked in)")
	@ApiResponse(responseCode = "409", description = "Too early, or the day has passed")
	@PostMapping("/bookings/{id}/check-in")
	Mono<TicketView> checkIn(@PathVariable @Size(max = 64) String id) {
		return this.bookings.checkIn(id).flatMap(this.estimates::view);
	}

}
