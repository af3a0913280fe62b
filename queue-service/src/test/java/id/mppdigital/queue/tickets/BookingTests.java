package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.queue.CatalogStub;
import id.mppdigital.queue.QueueWebTests;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Booking a slot online, as citizens' apps and kiosks do it: capacity never exceeded under
 * concurrency, the daily quota shared with walk-ins without either using up the other's places, the
 * check-in window (too early: wait; late: the walk-in line, never voided), cancelling, the holder's
 * limit and who sees a booking, and every refused booking changing nothing.
 */
class BookingTests extends QueueWebTests {

	/** Tuesday 8 December 2026 in Probolinggo (WIB, UTC+7). */
	private static Instant tuesday(String localTime) {
		return Instant.parse("2026-12-08T" + localTime + ":00Z").minus(Duration.ofHours(7));
	}

	private WebTestClient.ResponseSpec book(String mpp, String standardId, String start, String token) {
		Map<String, Object> body = new HashMap<>(Map.of("standardId", standardId, "start", start));
		return this.client.post().uri("/mpps/{mpp}/bookings", mpp).headers(h -> {
			if (token != null) {
				h.setBearerAuth(token);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> booked(String standardId, String start, String citizen) {
		return book(MPP, standardId, start, issuer.citizen(citizen)).expectStatus().isCreated().expectBody(Map.class)
			.returnResult().getResponseBody();
	}

	/** The free places of each slot of a day, by local start time. */
	@SuppressWarnings("unchecked")
	private Map<String, Integer> free(String standardId, String date) {
		Map<String, Object> day = this.client.get().uri("/mpps/{mpp}/services/{s}/slots?date={d}", MPP, standardId, date)
			.exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
		Map<String, Integer> free = new java.util.TreeMap<>();
		for (Map<String, Object> slot : (List<Map<String, Object>>) day.get("slots")) {
			free.put(slot.get("time").toString(), ((Number) slot.get("free")).intValue());
		}
		return free;
	}

	@SuppressWarnings("unchecked")
	private WebTestClient.ResponseSpec checkIn(Object bookingId) {
		return this.client.post().uri("/bookings/{id}/check-in", bookingId).exchange();
	}

	@Test
	void aSlotIsNeverOverbookedUnderConcurrentRequests() {
		List<Integer> statuses = Flux.range(0, 24)
			.flatMap(i -> Mono.fromCallable(() -> book(MPP, KTP, "2026-12-08T10:00", issuer.citizen("rush-" + i))
				.returnResult(String.class).getStatus().value()).subscribeOn(Schedulers.boundedElastic()), 24)
			.collectList().block(Duration.ofMinutes(1));
		assertThat(statuses).filteredOn(status -> status == 201).hasSize(2);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(22);
		Map<String, Integer> free = free(KTP, "2026-12-08");
		assertThat(free).containsEntry("10:00", 0).containsEntry("10:30", 2).containsEntry("08:00", 2);
		// half-hour slots from 08:00, the last ending at the 15:00 closing
		assertThat(free.keySet()).hasSize(14).startsWith("08:00").endsWith("14:30");
	}

	@Test
	void refusedBookingsAreProblemsAndChangeNothing() {
		String citizen = issuer.citizen("asih");
		Map<String, HttpStatus> refused = new java.util.LinkedHashMap<>();
		refused.put("2026-12-07T08:30", HttpStatus.UNPROCESSABLE_CONTENT); // in the past (now: Monday 09:00)
		refused.put("2026-12-25T10:00", HttpStatus.UNPROCESSABLE_CONTENT); // Christmas
		refused.put("2026-12-12T10:00", HttpStatus.UNPROCESSABLE_CONTENT); // a Saturday: closed
		refused.put("2026-12-08T15:00", HttpStatus.UNPROCESSABLE_CONTENT); // at closing time
		refused.put("2026-12-08T07:30", HttpStatus.UNPROCESSABLE_CONTENT); // before opening
		refused.put("2026-12-08T10:15", HttpStatus.UNPROCESSABLE_CONTENT); // not the start of a slot
		refused.put("2027-02-08T10:00", HttpStatus.UNPROCESSABLE_CONTENT); // beyond the booking horizon
		refused.forEach((start, status) -> book(MPP, KTP, start, citizen).expectStatus().isEqualTo(status)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("start"));
		// a service of another MPP's queue, and one only served to walk-ins
		book(MPP, "not-offered-here", "2026-12-08T10:00", citizen).expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("standardId");
		book(MPP, "sim-perpanjangan", "2026-12-08T10:00", citizen).expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("kiosk"));
		book("kota-unknown", KTP, "2026-12-08T10:00", citizen).expectStatus().isNotFound();
		book(MPP, KTP, "tomorrow at ten", citizen).expectStatus().isBadRequest();
		this.client.post().uri("/mpps/{mpp}/bookings", MPP).headers(h -> h.setBearerAuth(citizen))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("standardId", KTP, "start", "2026-12-08T10:00", "applicationId", "not-a-tracking-number"))
			.exchange().expectStatus().isBadRequest();
		// only citizens book, and only with a token
		book(MPP, KTP, "2026-12-08T10:00", null).expectStatus().isUnauthorized();
		book(MPP, KTP, "2026-12-08T10:00", dukcapil("officer-budi")).expectStatus().isForbidden();
		// a full slot
		booked(KTP, "2026-12-08T11:00", "first");
		booked(KTP, "2026-12-08T11:00", "second");
		book(MPP, KTP, "2026-12-08T11:00", citizen).expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// none of them took a place, nor a place under the citizen's limit
		Map<String, Integer> free = free(KTP, "2026-12-08");
		assertThat(free).containsEntry("10:00", 2).containsEntry("11:00", 0);
		assertThat(free.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(13 * 2);
		booked(KTP, "2026-12-08T10:00", "asih");
		booked(KTP, "2026-12-08T10:30", "asih");
		this.client.get().uri("/mpps/{mpp}/services/{s}/slots?date=2026-12-08", MPP, "sim-perpanjangan").exchange()
			.expectStatus().isEqualTo(422);
	}

	@Test
	void walkInsAndBookingsShareTheDailyQuotaWithoutUsingUpEachOthersPlaces() {
		String akta = "akta-kelahiran";
		// Monday 09:00: of the 6 places, 3 stay bookable online, so walk-ins get 3
		int walkIns = 0;
		while (take(MPP, akta, null, null).returnResult(String.class).getStatus().value() == 201) {
			walkIns++;
		}
		assertThat(walkIns).isEqualTo(CatalogStub.SHARED_QUOTA - CatalogStub.ONLINE_QUOTA);
		booked(akta, "2026-12-07T10:00", "d1");
		booked(akta, "2026-12-07T10:00", "d2");
		booked(akta, "2026-12-07T13:00", "d3");
		// the online places are booked: every slot shows none left
		assertThat(free(akta, "2026-12-07").values()).containsOnly(0);
		book(MPP, akta, "2026-12-07T14:00", issuer.citizen("d4")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("online"));
		take(MPP, akta, null, null).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

		// Tuesday: one booking at 10:00 holds one place, two more stay bookable until their slots begin
		booked(akta, "2026-12-08T10:00", "e1");
		time.set(tuesday("09:00"));
		int morning = 0;
		while (take(MPP, akta, null, null).returnResult(String.class).getStatus().value() == 201) {
			morning++;
		}
		assertThat(morning).isEqualTo(CatalogStub.SHARED_QUOTA - CatalogStub.ONLINE_QUOTA);
		// at 14:30 every slot has begun: the online places nobody booked go to walk-ins
		time.set(tuesday("14:30"));
		take(MPP, akta, null, null).expectStatus().isCreated();
		take(MPP, akta, null, null).expectStatus().isCreated();
		take(MPP, akta, null, null).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
	}

	@Test
	void checkingInTooEarlyWaitsOnTimeIsCalledFirstAndLateJoinsTheWalkInLine() {
		Map<String, Object> onTime = booked(KTP, "2026-12-08T10:00", "tepat");
		Map<String, Object> late = booked(KTP, "2026-12-08T10:00", "telat");
		time.set(tuesday("09:20"));
		checkIn(onTime.get("id")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("from 09:30"));
		time.set(tuesday("09:35"));
		Map<String, Object> walkIn = ticket(MPP, KTP);
		time.set(tuesday("09:40"));
		@SuppressWarnings("unchecked")
		Map<String, Object> ticket = checkIn(onTime.get("id")).expectStatus().isOk().expectBody(Map.class).returnResult()
			.getResponseBody();
		assertThat(ticket).containsEntry("kind", "BOOKED").containsEntry("number", "A-002")
			.containsEntry("dueAt", "2026-12-08T03:00:00Z");
		// the kiosk asks again (a double tap, a retry after a timeout): the same ticket
		checkIn(onTime.get("id")).expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(ticket.get("id"));
		this.client.get().uri("/bookings/{id}", onTime.get("id")).headers(h -> h.setBearerAuth(issuer.citizen("tepat")))
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.state").isEqualTo("CHECKED_IN").jsonPath("$.ticketId").isEqualTo(ticket.get("id"));

		String officer = dukcapil("officer-sri");
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		// before its slot the booking waits behind the walk-in; from 10:00 it goes first
		time.set(tuesday("09:50"));
		assertThat(called(officer, MPP, 1)).containsEntry("id", walkIn.get("id"));
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		desk(officer, MPP, 1, "finish").expectStatus().isOk();
		Map<String, Object> later = ticket(MPP, KTP);
		time.set(tuesday("10:01"));
		assertThat(called(officer, MPP, 1)).containsEntry("id", ticket.get("id"));
		desk(officer, MPP, 1, "no-show").expectStatus().isOk();

		// 10:20, past the 15-minute grace: not voided, in the walk-in line from now, behind who came before
		time.set(tuesday("10:20"));
		checkIn(late.get("id")).expectStatus().isOk().expectBody()
			.jsonPath("$.kind").isEqualTo("WALK_IN").jsonPath("$.position").isEqualTo(2);
		assertThat(called(officer, MPP, 1)).containsEntry("id", later.get("id"));

		// a booking of a day that is over is not checked in (nor one not yet due)
		Map<String, Object> thursday = booked(KTP, "2026-12-10T09:00", "lusa");
		checkIn(thursday.get("id")).expectStatus().isEqualTo(HttpStatus.CONFLICT);
		checkIn("no-such-booking").expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void onlyTheHolderSeesOrCancelsABookingAndCancellingGivesEveryPlaceBack() {
		String rina = issuer.citizen("rina");
		String other = issuer.citizen("someone-else");
		Map<String, Object> booking = booked("akta-kelahiran", "2026-12-08T09:00", "rina");
		assertThat(booking).containsEntry("state", "BOOKED").containsEntry("queue", "D").containsEntry("slot", "09:00");
		for (String path : List.of("/bookings/{id}")) {
			this.client.get().uri(path, booking.get("id")).headers(h -> h.setBearerAuth(other)).exchange()
				.expectStatus().isNotFound();
		}
		this.client.post().uri("/bookings/{id}/cancel", booking.get("id")).headers(h -> h.setBearerAuth(other)).exchange()
			.expectStatus().isNotFound();
		this.client.get().uri("/bookings").headers(h -> h.setBearerAuth(other)).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.length()").isEqualTo(0);
		this.client.get().uri("/bookings").headers(h -> h.setBearerAuth(rina)).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$[0].id").isEqualTo(booking.get("id"));
		assertThat(free("akta-kelahiran", "2026-12-08")).containsEntry("09:00", 1);

		// the limit counts tickets and bookings of one queue and day together: a second booking, then no third
		booked("akta-kelahiran", "2026-12-08T11:00", "rina");
		book(MPP, "akta-kelahiran", "2026-12-08T12:00", rina).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

		this.client.post().uri("/bookings/{id}/cancel", booking.get("id")).headers(h -> h.setBearerAuth(rina)).exchange()
			.expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
		this.client.post().uri("/bookings/{id}/cancel", booking.get("id")).headers(h -> h.setBearerAuth(rina)).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT);
		checkIn(booking.get("id")).expectStatus().isEqualTo(HttpStatus.CONFLICT);
		// its slot, its online place and its place under rina's limit are free again
		assertThat(free("akta-kelahiran", "2026-12-08")).containsEntry("09:00", 2);
		booked("akta-kelahiran", "2026-12-08T12:00", "rina");
	}

}
