package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import id.mppdigital.queue.CatalogStub;
import id.mppdigital.queue.QueueWebTests;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tickets from the kiosk to the counter: numbers unique under concurrency and restarting at each
 * MPP's local midnight, quotas and limits, the officer's operations and who may do them, and the
 * estimate as the queue moves.
 */
class TicketTests extends QueueWebTests {

	@Test
	void numbersStayUniqueUnderHundredsOfParallelIssues() {
		int tickets = 300;
		List<String> numbers = Flux.range(0, tickets)
			.flatMap(i -> Mono.fromCallable(() -> ticket("kota-makassar", KTP).get("number").toString())
				.subscribeOn(Schedulers.boundedElastic()), 64)
			.collectList()
			.block(Duration.ofMinutes(2));
		Set<String> expected = new TreeSet<>();
		for (int i = 1; i <= tickets; i++) {
			expected.add(String.format("A-%03d", i));
		}
		assertThat(numbers).hasSize(tickets).doesNotHaveDuplicates();
		assertThat(new TreeSet<>(numbers)).isEqualTo(expected);
	}

	@Test
	void numbersRestartAtEachMppsLocalMidnight() {
		// Wednesday 9 December, 14:50 local time in each zone, then Thursday 08:05 local time
		Map<String, Integer> offsets = Map.of("kota-probolinggo", 7, "kota-makassar", 8, "kota-jayapura", 9);
		offsets.forEach((mpp, hours) -> {
			time.set(Instant.parse("2026-12-09T14:50:00Z").minus(Duration.ofHours(hours)));
			ticket(mpp, KTP);
			assertThat(ticket(mpp, KTP)).containsEntry("number", "A-002").containsEntry("day", "2026-12-09");
			time.set(Instant.parse("2026-12-10T08:05:00Z").minus(Duration.ofHours(hours)));
			assertThat(ticket(mpp, KTP)).as(mpp).containsEntry("number", "A-001").containsEntry("day", "2026-12-10");
		});
		// 23:30 UTC on the 9th is already 08:30 on the 10th in Jayapura: its day, not UTC's, counts
		time.set(Instant.parse("2026-12-09T23:30:00Z"));
		assertThat(ticket("kota-jayapura", KTP)).containsEntry("number", "A-002").containsEntry("day", "2026-12-10");
	}

	@Test
	void badRequestsAreProblemsAndTakeNoNumber() {
		take(MPP, "not-offered-here", null, null).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("standardId");
		take(MPP, "Bad Slug!", null, null).expectStatus().isBadRequest();
		take("kota-unknown", KTP, null, null).expectStatus().isNotFound();
		take(MPP, KTP, null, "ROYALTY").expectStatus().isBadRequest();
		time.set(Instant.parse("2026-12-07T08:30:00Z")); // 15:30 WIB: closed
		take(MPP, KTP, null, null).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("mppId");
		time.set(Instant.parse("2026-12-25T03:00:00Z")); // Christmas
		take(MPP, KTP, null, null).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
		time.set(MONDAY_9_WIB);
		this.client.get().uri("/tickets/no-such-ticket").exchange().expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// none of the refused requests used a number
		assertThat(ticket(MPP, KTP)).containsEntry("number", "A-001");
	}

	@Test
	void theDailyQuotaIsSharedAndNeverExceededUnderConcurrency() {
		List<Integer> statuses = Flux.range(0, 12)
			.flatMap(i -> Mono.fromCallable(() -> take(MPP, "ktp-el-perekaman", null, null).returnResult(String.class)
				.getStatus().value()).subscribeOn(Schedulers.boundedElastic()), 12)
			.collectList().block(Duration.ofSeconds(30));
		assertThat(statuses.stream().filter(status -> status == 201).count()).isEqualTo(CatalogStub.LIMITED_QUOTA);
		assertThat(statuses.stream().filter(status -> status == 422).count()).isEqualTo(12 - CatalogStub.LIMITED_QUOTA);
	}

	@Test
	void aCitizenHoldsAtMostTwoActiveTicketsPerQueueAndDay() {
		String citizen = issuer.citizen("c-hoarder");
		take(MPP, KTP, citizen, null).expectStatus().isCreated();
		String second = take(MPP, "kartu-keluarga", citizen, null).expectStatus().isCreated().expectBody(Map.class)
			.returnResult().getResponseBody().get("id").toString();
		take(MPP, KTP, citizen, null).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().exists("Retry-After");
		// another queue is another limit; a cancelled ticket frees its place
		take(MPP, "sim-perpanjangan", citizen, null).expectStatus().isCreated();
		this.client.post().uri("/tickets/{id}/cancel", second).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
		take(MPP, KTP, citizen, null).expectStatus().isCreated();
		this.client.post().uri("/tickets/{id}/cancel", second).exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void onlyOfficersOfTheMppAndTheCountersAgencyWorkACounter() {
		desk(issuer.officer("o-police", MPP, "polri"), MPP, 1, "open").expectStatus().isForbidden();
		desk(issuer.officer("o-elsewhere", "kota-makassar", "dukcapil"), MPP, 1, "open").expectStatus().isForbidden();
		desk(issuer.citizen("c-curious"), MPP, 1, "open").expectStatus().isForbidden();
		this.client.post().uri("/mpps/{mpp}/counters/1/open", MPP).exchange().expectStatus().isUnauthorized();
		desk(dukcapil("o-1"), MPP, 9, "open").expectStatus().isNotFound();
		desk(dukcapil("o-1"), MPP, 1, "open").expectStatus().isOk().expectBody().jsonPath("$.open").isEqualTo(true);
	}

	@Test
	void callingNeedsAnOpenCounterAndGivesEachTicketToOneCounterOnly() {
		String officer = dukcapil("o-1");
		ticket(MPP, KTP);
		desk(officer, MPP, 1, "call-next").expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		desk(dukcapil("o-2"), MPP, 2, "open").expectStatus().isOk();
		// two officers at the same counter and one at the next press at once: one ticket, one counter
		List<int[]> answers = Flux.just(1, 1, 2)
			.flatMap(counter -> Mono.fromCallable(() -> new int[] { counter,
					desk(dukcapil("o-" + counter), MPP, counter, "call-next").returnResult(String.class).getStatus().value() })
				.subscribeOn(Schedulers.boundedElastic()))
			.collectList().block(Duration.ofSeconds(30));
		assertThat(answers).filteredOn(answer -> answer[1] == 200).hasSize(1);
		assertThat(answers).allMatch(answer -> answer[1] == 200 || answer[1] == 204 || answer[1] == 409);
		int busy = answers.stream().filter(answer -> answer[1] == 200).findFirst().orElseThrow()[0];
		int free = busy == 1 ? 2 : 1;
		// the busy counter cannot call again before it is done; the other one takes the next ticket
		desk(dukcapil("o-" + busy), MPP, busy, "call-next").expectStatus().isEqualTo(HttpStatus.CONFLICT);
		desk(dukcapil("o-" + free), MPP, free, "call-next").expectStatus().isNoContent();
		ticket(MPP, KTP);
		called(dukcapil("o-" + free), MPP, free);
		desk(dukcapil("o-" + free), MPP, free, "finish").expectStatus().isEqualTo(HttpStatus.CONFLICT);
	}

	private WebTestClient.ResponseSpec takeWithKey(String standardId, String key) {
		return this.client.post().uri("/mpps/{mpp}/tickets", MPP).header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("standardId", standardId)).exchange();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aKioskRepeatingARequestWithItsKeyGetsTheSameTicketNeverASecondNumber() throws Exception {
		Map<String, Object> first = takeWithKey(KTP, "kiosk-7-req-0001").expectStatus().isCreated().expectBody(Map.class)
			.returnResult().getResponseBody();
		// its answer was lost; it asks again with the same key
		takeWithKey(KTP, "kiosk-7-req-0001").expectStatus().isOk().expectBody()
			.jsonPath("$.id").isEqualTo(first.get("id")).jsonPath("$.number").isEqualTo(first.get("number"));
		takeWithKey("sim-perpanjangan", "kiosk-7-req-0001").expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
		takeWithKey(KTP, "short").expectStatus().isBadRequest();
		// refused (closed): nothing is left behind, not even the key
		time.set(Instant.parse("2026-12-07T08:30:00Z"));
		takeWithKey(KTP, "kiosk-7-req-0002").expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
		time.set(MONDAY_9_WIB);
		assertThat(takeWithKey(KTP, "kiosk-7-req-0002").expectStatus().isCreated().expectBody(Map.class).returnResult()
			.getResponseBody()).containsEntry("number", "A-002");
		// the first request stopped between its two writes (the key, then the ticket): the repeat issues it
		String keyId = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
			.digest("kiosk\nkiosk-7-req-0003".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		this.store.insert(new Tickets.IssueKey(keyId, "chosen-by-the-first", MPP + "|" + KTP + "|false", MONDAY_9_WIB))
			.block();
		takeWithKey(KTP, "kiosk-7-req-0003").expectStatus().isCreated().expectBody()
			.jsonPath("$.id").isEqualTo("chosen-by-the-first").jsonPath("$.number").isEqualTo("A-003");
		takeWithKey(KTP, "kiosk-7-req-0003").expectStatus().isOk().expectBody().jsonPath("$.number").isEqualTo("A-003");
	}

	/**
	 * A ticket joins its line before it is written and leaves after: a crash in between leaves an entry
	 * whose ticket never came, or no longer waits. Nobody is called for it, and it is cleared away.
	 */
	@Test
	void aLineEntryLeftByACrashIsSkippedAndCleared() {
		String officer = dukcapil("o-crash");
		Map<String, Object> real = ticket(MPP, KTP);
		String key = Ticket.waitingKey(MPP, java.time.LocalDate.parse((String) real.get("day")), "A", Ticket.Kind.WALK_IN);
		Instant now = time.instant();
		// two left behind by crashes two minutes ago (one never written, one written to another line) and
		// one that joined just now, whose ticket is being written at this moment: all three ahead in line
		List<Lines.Waiting> ghosts = List.of(
				new Lines.Waiting("never-written", now.minusSeconds(60), now.minusSeconds(60), 0, now.minusSeconds(120)),
				new Lines.Waiting((String) ticket(MPP, "sim-perpanjangan").get("id"), now.minusSeconds(60),
						now.minusSeconds(60), 0, now.minusSeconds(120)),
				new Lines.Waiting("being-written", now.minusSeconds(30), now.minusSeconds(30), 0, now));
		for (Lines.Waiting ghost : ghosts) {
			this.store.upsert(org.springframework.data.mongodb.core.query.Query.query(
					org.springframework.data.mongodb.core.query.Criteria.where("_id").is(key)),
					new org.springframework.data.mongodb.core.query.Update().push("waiting", ghost), Lines.Line.class)
				.block();
		}
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		assertThat(called(officer, MPP, 1)).containsEntry("id", real.get("id"));
		// the settled ones are removed; the one still being written is skipped, not removed
		Lines.Line line = this.store.findById(key, Lines.Line.class).block();
		assertThat(line.waiting()).extracting(Lines.Waiting::ticketId).containsExactly("being-written");
	}

	@Test
	void aTicketCalledMoreThanTheRecallsAllowedIsANoShowAndTheCounterMovesOn() {
		String officer = dukcapil("o-1");
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		Object absent = ticket(MPP, KTP).get("id");
		Object next = ticket(MPP, KTP).get("id");
		assertThat(called(officer, MPP, 1)).containsEntry("id", absent).containsEntry("state", "CALLED");
		desk(officer, MPP, 1, "recall").expectStatus().isOk().expectBody().jsonPath("$.recalls").isEqualTo(1);
		desk(officer, MPP, 1, "recall").expectStatus().isOk().expectBody().jsonPath("$.recalls").isEqualTo(2);
		desk(officer, MPP, 1, "recall").expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("NO_SHOW");
		desk(officer, MPP, 1, "recall").expectStatus().isEqualTo(HttpStatus.CONFLICT);
		assertThat(called(officer, MPP, 1)).containsEntry("id", next);
		desk(officer, MPP, 1, "start").expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("SERVING");
		desk(officer, MPP, 1, "start").expectStatus().isEqualTo(HttpStatus.CONFLICT);
		desk(officer, MPP, 1, "finish").expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("DONE");
		desk(officer, MPP, 1, "call-next").expectStatus().isNoContent();
	}

	@Test
	void aTransferredTicketKeepsItsPlaceInLine() {
		String clerk = dukcapil("o-1");
		String police = issuer.officer("o-3", MPP, "polri");
		desk(clerk, MPP, 1, "open").expectStatus().isOk();
		desk(police, MPP, 3, "open").expectStatus().isOk();
		Object early = ticket(MPP, KTP).get("id");
		time.advance(Duration.ofMinutes(10));
		Object later = ticket(MPP, "sim-perpanjangan").get("id");
		called(clerk, MPP, 1);
		// the citizen needs the police after all
		this.client.post().uri("/mpps/{mpp}/counters/1/transfer", MPP).headers(h -> h.setBearerAuth(clerk))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("queue", "C")).exchange()
			.expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("WAITING")
			.jsonPath("$.number").isEqualTo("A-001").jsonPath("$.position").isEqualTo(1);
		assertThat(read(later)).containsEntry("position", 2);
		assertThat(called(police, MPP, 3)).containsEntry("id", early);
		this.client.post().uri("/mpps/{mpp}/counters/3/transfer", MPP).headers(h -> h.setBearerAuth(police))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("queue", "Z")).exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
	}

	@Test
	void thePositionAndEstimateMoveAsTheQueueMoves() {
		String officer = dukcapil("o-1");
		// a time finer than the store keeps (a real clock's): the new ticket is not ahead of itself
		time.set(MONDAY_9_WIB.plusNanos(123_456_789));
		assertThat(ticket(MPP, "sim-perpanjangan")).containsEntry("position", 1);
		List<Object> ids = List.of(ticket(MPP, KTP).get("id"), ticket(MPP, KTP).get("id"), ticket(MPP, KTP).get("id"),
				ticket(MPP, KTP).get("id"));
		Object last = ids.get(3);
		assertThat(read(last)).containsEntry("position", 4);
		assertThat(estimate(last)).containsEntry("openCounters", 0).containsEntry("minutes", null);
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		// three services of 4 minutes each are measured
		for (int i = 0; i < 3; i++) {
			called(officer, MPP, 1);
			desk(officer, MPP, 1, "start").expectStatus().isOk();
			time.advance(Duration.ofMinutes(4));
			desk(officer, MPP, 1, "finish").expectStatus().isOk();
			Map<String, Object> estimate = estimate(last);
			assertThat(read(last).get("position")).isEqualTo(3 - i);
			assertThat(estimate.get("openCounters")).isEqualTo(1);
			if (i == 2) {
				// alone in line, the one being served is half done on average: 2 minutes
				assertThat(estimate).containsEntry("minutes", 2).containsEntry("basedOnServices", 3);
			}
		}
		// with a second counter open the estimate halves
		ticket(MPP, KTP);
		Object behind = ticket(MPP, KTP).get("id");
		Map<String, Object> alone = estimate(behind);
		desk(dukcapil("o-2"), MPP, 2, "open").expectStatus().isOk();
		Map<String, Object> shared = estimate(behind);
		assertThat(((Number) shared.get("minutes")).longValue()).isLessThan(((Number) alone.get("minutes")).longValue());
		assertThat(shared.get("openCounters")).isEqualTo(2);
		assertThat(ids.stream().map(id -> (Object) read(id).get("state")).collect(Collectors.toList()))
			.containsExactly("DONE", "DONE", "DONE", "WAITING");
	}

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@Autowired
	QueueMetrics metrics;

	private double tickets(String outcome) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("mpp.queue.tickets")
			.tags("mpp", "kota-jayapura", "queue", "A", "outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	@Test
	void operatorsSeeWaitingAndServiceTimesOutcomesAndQueueLengths() {
		String officer = issuer.officer("o-jayapura", "kota-jayapura", "dukcapil");
		double issued = tickets("issued");
		double served = tickets("served");
		double noShows = tickets("no_show");
		desk(officer, "kota-jayapura", 1, "open").expectStatus().isOk();
		for (int i = 0; i < 4; i++) {
			ticket("kota-jayapura", KTP);
		}
		time.advance(Duration.ofMinutes(10));
		called(officer, "kota-jayapura", 1);
		desk(officer, "kota-jayapura", 1, "start").expectStatus().isOk();
		time.advance(Duration.ofMinutes(6));
		desk(officer, "kota-jayapura", 1, "finish").expectStatus().isOk();
		called(officer, "kota-jayapura", 1);
		desk(officer, "kota-jayapura", 1, "no-show").expectStatus().isOk();

		assertThat(tickets("issued") - issued).isEqualTo(4);
		assertThat(tickets("served") - served).isEqualTo(1);
		assertThat(tickets("no_show") - noShows).isEqualTo(1);
		io.micrometer.core.instrument.Timer waited = this.meters.find("mpp.queue.waiting.time")
			.tags("mpp", "kota-jayapura", "queue", "A").timer();
		assertThat(waited.max(java.util.concurrent.TimeUnit.MINUTES)).isGreaterThanOrEqualTo(10);
		io.micrometer.core.instrument.Timer service = this.meters.find("mpp.queue.service.time")
			.tags("mpp", "kota-jayapura", "queue", "A").timer();
		assertThat(service.max(java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(6);
		this.metrics.countLengths().block(Duration.ofSeconds(10));
		assertThat(this.meters.find("mpp.queue.length").tags("mpp", "kota-jayapura", "queue", "A").gauge().value())
			.isEqualTo(2);
	}

}
