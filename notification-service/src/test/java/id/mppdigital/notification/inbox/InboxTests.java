package id.mppdigital.notification.inbox;

import java.time.Duration;
import java.util.List;

import id.mppdigital.defaults.events.DeadLetters;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.defaults.test.DeadLetterProbe;
import id.mppdigital.notification.NotificationWebTests;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A citizen's inbox fills from application-service's state-changed events (the contract's own
 * example, sent through a real embedded broker), once per event, and shows only their own messages.
 */
class InboxTests extends NotificationWebTests {

	private WebTestClient.BodyContentSpec inbox(String token, String query, String language) {
		return this.client.get().uri("/inbox" + query).headers(h -> {
			h.setBearerAuth(token);
			h.set("Accept-Language", language);
		}).exchange().expectStatus().isOk()
			// what a citizen was told is theirs alone: never kept by a browser, proxy or the gateway
			.expectHeader().value("Cache-Control", value -> assertThat(value).contains("no-store"))
			.expectBody();
	}

	private long unread(String token) {
		Number unread = this.client.get().uri("/inbox").headers(h -> h.setBearerAuth(token)).exchange()
			.expectBody(java.util.Map.class).returnResult().getResponseBody().get("unread") instanceof Number n ? n : -1;
		return unread.longValue();
	}

	@Test
	void aTicketsHolderIsToldWhenTheirTurnIsNearAndWhenTheyAreCalled() throws Exception {
		String nina = issuer.citizen("c-inbox-nina");
		this.kafka.send(ContractExamples.record(TicketListener.NEAR, "t-nina-0000000001", ContractExamples.text(
				ContractExamples.first(TicketListener.NEAR).put("holder", "c-inbox-nina").put("ticketId", "t-nina-0000000001")
					.put("eventId", "aaaaaaaaaaaaaaaaaaaaaaa1").put("number", "A-007")))).get();
		for (int recall = 0; recall < 2; recall++) {
			this.kafka.send(ContractExamples.record(TicketListener.CALLED, "t-nina-0000000001", ContractExamples.text(
					ContractExamples.first(TicketListener.CALLED).put("holder", "c-inbox-nina").put("ticketId", "t-nina-0000000001")
						.put("eventId", "aaaaaaaaaaaaaaaaaaaaaab" + recall).put("number", "A-007").put("counter", 4)
						.put("recall", recall)))).get();
		}
		// a kiosk ticket: nobody to tell
		this.kafka.send(ContractExamples.record(TicketListener.CALLED, "t-kiosk-000000001", ContractExamples.text(
				ContractExamples.first(TicketListener.CALLED).putNull("holder").put("ticketId", "t-kiosk-000000001")
					.put("eventId", "aaaaaaaaaaaaaaaaaaaaaac1")))).get();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (unread(nina) < 3 && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		inbox(nina, "", "id")
			.jsonPath("$.items.length()").isEqualTo(3)
			.jsonPath("$.items[?(@.state == 'TURN_NEAR')].title").isEqualTo("Giliran nomor A-007 sebentar lagi")
			.jsonPath("$.items[?(@.state == 'TURN_NEAR')].body")
			.value(body -> assertThat(body.toString()).contains("urutan ke-3"))
			.jsonPath("$.items[?(@.state == 'CALLED')].title").isEqualTo("Nomor A-007: silakan ke loket 4")
			.jsonPath("$.items[?(@.state == 'CALLED')].ticketId").isEqualTo("t-nina-0000000001");
		inbox(nina, "", "en")
			.jsonPath("$.items[?(@.state == 'RECALLED')].title").isEqualTo("Number A-007 is called again to counter 4");
		this.client.get().uri("/inbox").headers(h -> h.setBearerAuth(issuer.citizen("c-inbox-kiosk")))
			.exchange().expectBody().jsonPath("$.items.length()").isEqualTo(0);
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners;

	@Test
	void aCitizenFollowingTheirInboxSeesEachMessageAsItComesAndOnlyTheirOwn() throws Exception {
		String lia = issuer.citizen("c-live-lia");
		// every instance's live listener reads from the newest: wait until it has its partitions
		org.springframework.kafka.test.utils.ContainerTestUtils.waitForAssignment(
				this.listeners.getListenerContainer("live-inbox"), 3);
		reactor.core.publisher.Flux<String> stream = this.client.get().uri("/inbox/stream")
			.headers(h -> {
				h.setBearerAuth(lia);
				h.set("Accept-Language", "en");
			})
			.accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isOk()
			.returnResult(String.class)
			.getResponseBody();
		java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
		reactor.core.Disposable following = stream.subscribe(received::add);
		try {
			Thread.sleep(300);
			// someone else's change, then hers
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261204-LVXBQA22",
					stateChanged("c-live-other", "PMH-261204-LVXBQA22", 2, "COMPLETED"))).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261204-LVXBQA33",
					stateChanged("c-live-lia", "PMH-261204-LVXBQA33", 2, "COMPLETED"))).get();
			String first = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(first).as("a live message").isNotNull();
			assertThat(first).contains("PMH-261204-LVXBQA33").contains("Application PMH-261204-LVXBQA33 is completed");
			Thread.sleep(500);
			assertThat(received).allSatisfy(each -> assertThat(each).doesNotContain("LVXBQA22"));
		}
		finally {
			following.dispose();
		}
		// staff have no stream; without a token nobody has
		this.client.get().uri("/inbox/stream").headers(h -> h.setBearerAuth(issuer.officer("s-1", "kota-probolinggo", "dukcapil")))
			.exchange().expectStatus().isForbidden();
		this.client.get().uri("/inbox/stream").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aCitizenAskedToCorrectTheirApplicationIsToldWhatToFix() throws Exception {
		String ayu = issuer.citizen("c-inbox-ayu");
		ObjectNode revision = ContractExamples.first(ApplicationStateListener.TOPIC)
			.put("applicant", "c-inbox-ayu")
			.put("applicationId", "PMH-261128-NBX66666")
			.put("eventId", "PMH-261128-NBX66666@3")
			.put("state", "NEEDS_REVISION")
			.putNull("note");
		revision.putArray("revision").addObject().put("field", "nama").put("message", "Nama tidak sesuai dengan KK");
		this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX66666",
				ContractExamples.text(revision))).get();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (unread(ayu) < 1 && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		inbox(ayu, "", "id")
			.jsonPath("$.items[0].title").isEqualTo("Permohonan PMH-261128-NBX66666 perlu diperbaiki")
			.jsonPath("$.items[0].body").value(body -> assertThat(body.toString()).contains("nama: Nama tidak sesuai dengan KK"));
	}

	@Test
	void aCitizenIsToldOnceOfEachChangeToTheirApplication() throws Exception {
		String siti = issuer.citizen("c-inbox-siti");
		String budi = issuer.citizen("c-inbox-budi");
		String event = stateChanged("c-inbox-siti", "PMH-261128-NBX22222", 2, "COMPLETED");
		this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX22222", event));
		this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX22222", event));
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (unread(siti) < 1 && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		// the redelivered event and a later one are through too once this one is
		this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX33333",
				stateChanged("c-inbox-siti", "PMH-261128-NBX33333", 2, "IN_PROCESS"))).get();
		while (unread(siti) < 2 && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}

		inbox(siti, "", "en")
			.jsonPath("$.unread").isEqualTo(2)
			.jsonPath("$.items.length()").isEqualTo(2)
			.jsonPath("$.items[?(@.id == 'PMH-261128-NBX22222@2')].title").isEqualTo("Application PMH-261128-NBX22222 is completed")
			.jsonPath("$.items[?(@.id == 'PMH-261128-NBX22222@2')].body")
			.value(body -> assertThat(body.toString()).contains("Silakan ambil di loket 1"));
		inbox(siti, "", "id")
			.jsonPath("$.items[?(@.id == 'PMH-261128-NBX22222@2')].title").isEqualTo("Permohonan PMH-261128-NBX22222 selesai");
		inbox(budi, "", "id").jsonPath("$.items.length()").isEqualTo(0);

		// reading: only one's own
		this.client.post().uri("/inbox/PMH-261128-NBX22222@2/read").headers(h -> h.setBearerAuth(budi)).exchange()
			.expectStatus().isNotFound();
		this.client.post().uri("/inbox/PMH-261128-NBX22222@2/read").headers(h -> h.setBearerAuth(siti)).exchange()
			.expectStatus().isNoContent();
		inbox(siti, "?unreadOnly=true", "id")
			.jsonPath("$.unread").isEqualTo(1)
			.jsonPath("$.items[0].id").isEqualTo("PMH-261128-NBX33333@2");
		// staff have no inbox here; without a token nobody has
		this.client.get().uri("/inbox").headers(h -> h.setBearerAuth(issuer.officer("s-1", "kota-probolinggo", "dukcapil")))
			.exchange().expectStatus().isForbidden();
		this.client.get().uri("/inbox").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void anEventThatBreaksTheContractIsDeadLetteredAndTheNextOneIsStillTold() throws Exception {
		String rina = issuer.citizen("c-inbox-rina");
		try (DeadLetterProbe deadLetters = DeadLetterProbe.of(this.broker, ApplicationStateListener.TOPIC)) {
			// no applicant to tell: the contract requires one
			String noApplicant = ContractExamples.text(ContractExamples.first(ApplicationStateListener.TOPIC)
				.put("eventId", "PMH-261128-NBX44444@2")
				.put("applicationId", "PMH-261128-NBX44444")
				.remove(List.of("applicant")));
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX44444", "{not json")).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX44444", noApplicant)).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX55555",
					stateChanged("c-inbox-rina", "PMH-261128-NBX55555", 2, "REJECTED"))).get();

			List<ConsumerRecord<String, String>> dead = deadLetters.next(2);
			assertThat(dead).extracting(ConsumerRecord::value).containsExactly("{not json", noApplicant);
			assertThat(DeadLetterProbe.header(dead.get(0), DeadLetters.REASON_HEADER)).startsWith("contract: not JSON");
			assertThat(DeadLetterProbe.header(dead.get(1), DeadLetters.REASON_HEADER)).contains("applicant");
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (unread(rina) < 1 && System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
			inbox(rina, "", "en").jsonPath("$.items.length()").isEqualTo(1)
				.jsonPath("$.items[0].title").isEqualTo("Application PMH-261128-NBX55555 was rejected");
		}
	}

	@Test
	void forgedStateChangesNeverReachAnInbox() throws Exception {
		String dewi = issuer.citizen("c-inbox-dewi");
		try (DeadLetterProbe deadLetters = DeadLetterProbe.of(this.broker, ApplicationStateListener.TOPIC)) {
			// a well-formed event, but not from application-service (the only producer of the topic)
			String phishing = ContractExamples.text(ContractExamples.first(ApplicationStateListener.TOPIC)
				.put("applicant", "c-inbox-dewi")
				.put("applicationId", "PMH-261128-NBX66666")
				.put("eventId", "PMH-261128-NBX66666@2")
				.put("note", "transfer Rp500.000 ke rek 123"));
			// an invented state with required fields missing
			String hacked = ContractExamples.text(ContractExamples.first(ApplicationStateListener.TOPIC)
				.put("applicant", "c-inbox-dewi")
				.put("applicationId", "PMH-261128-NBX77777")
				.put("eventId", "PMH-261128-NBX77777@2")
				.put("state", "HACKED")
				.remove(List.of("mppId", "standardId")));
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX66666", phishing,
					"ce_source", "/attacker")).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX66666", phishing,
					"ce_type", "id.mppdigital.application.state-changed.v1.extra")).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX77777", hacked)).get();
			this.kafka.send(ContractExamples.record(ApplicationStateListener.TOPIC, "PMH-261128-NBX88888",
					stateChanged("c-inbox-dewi", "PMH-261128-NBX88888", 2, "IN_PROCESS"))).get();

			List<ConsumerRecord<String, String>> dead = deadLetters.next(3);
			assertThat(DeadLetterProbe.header(dead.get(0), DeadLetters.REASON_HEADER)).contains("ce_source");
			assertThat(DeadLetterProbe.header(dead.get(1), DeadLetters.REASON_HEADER)).contains("ce_type");
			assertThat(DeadLetterProbe.header(dead.get(2), DeadLetters.REASON_HEADER)).contains("state");
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (unread(dewi) < 1 && System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
			inbox(dewi, "", "en").jsonPath("$.items.length()").isEqualTo(1)
				.jsonPath("$.items[0].id").isEqualTo("PMH-261128-NBX88888@2");
		}
	}

}
