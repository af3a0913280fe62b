package id.mppdigital.notification.delivery;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.notification.NotificationWebTests;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.PhoneChannel;
import id.mppdigital.simulators.MessageProvider;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMS and WhatsApp through a real provider API (agency-simulators' MessageProvider): a citizen
 * verifies a mobile number with the code the provider delivered, and is then told once per event on
 * the first channel they chose; the provider's signed receipts mark messages delivered or failed;
 * forged, replayed and unknown receipts are refused; server errors are retried, a 429 waits, the
 * circuit opens and closes; and a message that fails for good goes to the citizen's next channel.
 * What the provider received is counted by the provider.
 */
class PhoneDeliveryTests extends NotificationWebTests {

	@Autowired
	ReactiveMongoTemplate store;

	@Autowired
	PhoneChannel phones;

	/** Adds the number, reads the code from the SMS the provider received, enters it. */
	private void verifiedPhone(String token, String given, String number) throws Exception {
		int before = provider.messages().size();
		call("PUT", "/preferences/phone", token, Map.of("number", given)).expectStatus().isAccepted()
			.expectBody().jsonPath("$.phone.number").isEqualTo(number).jsonPath("$.phone.verified").isEqualTo(false);
		await(() -> provider.messages().size() > before && provider.lastTo(number).isPresent());
		MessageProvider.Message sms = provider.lastTo(number).orElseThrow();
		assertThat(sms.channel()).isEqualTo("sms");
		Matcher code = Pattern.compile("([0-9]{6})").matcher(sms.text());
		assertThat(code.find()).isTrue();
		call("POST", "/preferences/phone/verification", token, Map.of("code", code.group(1))).expectStatus().isOk()
			.expectBody().jsonPath("$.phone.verified").isEqualTo(true);
	}

	/** The channels, in order, and no quiet hours (the tests run at any hour; quiet hours have their own test). */
	private void choose(String token, List<String> channels) {
		call("PUT", "/preferences", token, Map.of("language", "id", "channels", channels, "quietHours",
				Map.of("from", "00:00", "to", "00:00"))).expectStatus().isOk()
			.expectBody().jsonPath("$.channels").isEqualTo(channels);
	}

	private Document delivery(String id) {
		return this.store.findById(id, Document.class, "deliveries").block();
	}

	private String statusOf(String id) {
		Document delivery = delivery(id);
		return delivery == null ? null : delivery.getString("status");
	}

	@Test
	void aVerifiedNumberIsToldEachChangeOnceBySmsAndTheReceiptMarksItDelivered() throws Exception {
		String ani = issuer.citizen("c-sms-ani");
		verifiedPhone(ani, "0812-3456-7001", "+6281234567001");
		choose(ani, List.of("SMS"));
		String event = stateChanged("c-sms-ani", "PMH-261204-SMXBQA22", 2, "COMPLETED");
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA22", event)).get();
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA22", event)).get();
		String id = Deliveries.idOf("PMH-261204-SMXBQA22@2", "c-sms-ani", Channel.SMS);
		await(() -> "DELIVERED".equals(statusOf(id)));
		assertThat(statusOf(id)).isEqualTo("DELIVERED");
		// the provider was asked once and sent it once, with the delivery as its key
		assertThat(provider.posted(id)).isEqualTo(1);
		assertThat(provider.sent(id)).isEqualTo(1);
		MessageProvider.Message sms = provider.messages().stream().filter(m -> m.reference().equals(id)).findFirst()
			.orElseThrow();
		assertThat(sms.to()).isEqualTo("+6281234567001");
		assertThat(sms.text()).contains("PMH-261204-SMXBQA22").contains("Silakan ambil di loket 1");
		assertThat(delivery(id).getString("providerMessageId")).isEqualTo(sms.id());
		// the number is stored encrypted, never in clear
		Document preferences = this.store.findById("c-sms-ani", Document.class, "preferences").block();
		assertThat(preferences.toJson()).doesNotContain("81234567001");
	}

	@Test
	void forgedReplayedAndUnknownReceiptsAreRefusedAndChangeNothing() throws Exception {
		String budi = issuer.citizen("c-sms-budi");
		verifiedPhone(budi, "+62 812 3456 7002", "+6281234567002");
		choose(budi, List.of("SMS"));
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA33",
				stateChanged("c-sms-budi", "PMH-261204-SMXBQA33", 2, "COMPLETED"))).get();
		String id = Deliveries.idOf("PMH-261204-SMXBQA33@2", "c-sms-budi", Channel.SMS);
		await(() -> "DELIVERED".equals(statusOf(id)));
		MessageProvider.SignedReceipt receipt = provider.lastReceipt(id).orElseThrow();
		// the very same call again: a replay
		assertThat(provider.replay(receipt)).isEqualTo(409);
		// the same body signed with another secret: a forgery
		URI callback = receipt.to();
		String failed = receipt.body().replace("\"delivered\"", "\"undeliverable\"");
		assertThat(provider.forge(callback, failed, "not-the-secret")).isEqualTo(401);
		// signed right, but for a message this service never sent
		assertThat(provider.forge(callback, receipt.body().replace(id, "0123456789abcdef0123456789abcdef"),
				PROVIDER_SECRET)).isEqualTo(404);
		assertThat(provider.forge(callback, receipt.body().replace("msg_", "msg_x"), PROVIDER_SECRET)).isEqualTo(404);
		// no signature at all, through the same door
		this.client.post().uri("/providers/sms/receipts").contentType(MediaType.APPLICATION_JSON).bodyValue(failed)
			.exchange().expectStatus().isUnauthorized()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(statusOf(id)).isEqualTo("DELIVERED");
		// the provider posting the receipt again, freshly signed, changes nothing either
		assertThat(provider.forge(callback, failed, PROVIDER_SECRET)).isEqualTo(204);
		assertThat(statusOf(id)).isEqualTo("DELIVERED");
	}

	@Test
	void serverErrorsAreTriedAgainThenTheNextChannelTakesTheMessage() throws Exception {
		String citra = issuer.citizen("c-sms-citra");
		verifiedPhone(citra, "081234567003", "+6281234567003");
		verifiedEmail(citra, "citra.sms@warga.example");
		choose(citra, List.of("WHATSAPP", "EMAIL"));
		StubMapping down = provider.server().stubFor(WireMock.post("/v1/messages").atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.to", WireMock.equalTo("+6281234567003")))
			.willReturn(WireMock.aResponse().withStatus(503).withBody("{\"error\":\"unavailable\"}")));
		try {
			this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA44",
					stateChanged("c-sms-citra", "PMH-261204-SMXBQA44", 2, "COMPLETED"))).get();
			String sms = Deliveries.idOf("PMH-261204-SMXBQA44@2", "c-sms-citra", Channel.WHATSAPP);
			await(() -> "FAILED".equals(statusOf(sms)));
			assertThat(statusOf(sms)).isEqualTo("FAILED");
			assertThat(delivery(sms).getInteger("attempts")).isEqualTo(3);
			assertThat(delivery(sms).getString("reason")).contains("503");
			// three posts reached the provider, none was sent to a phone
			assertThat(provider.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/messages"))
				.withRequestBody(WireMock.matchingJsonPath("$.reference", WireMock.equalTo(sms))))).hasSize(3);
			assertThat(provider.sent(sms)).isZero();
			// the next channel the citizen allowed: email, once
			await(() -> mailTo("citra.sms@warga.example").size() >= 2);
			assertThat(mailTo("citra.sms@warga.example")).hasSize(2);
			assertThat(mailTo("citra.sms@warga.example").get(1).getSubject()).contains("PMH-261204-SMXBQA44");
		}
		finally {
			provider.server().removeStub(down);
		}
	}

	@Test
	void anUndeliverableReceiptSendsTheMessageOnTheNextChannel() throws Exception {
		String dedi = issuer.citizen("c-wa-dedi");
		// the simulated networks cannot reach +62899…: accepted, then an undeliverable receipt
		verifiedPhone(dedi, "0899 1234 5678", "+6289912345678");
		verifiedEmail(dedi, "dedi.wa@warga.example");
		choose(dedi, List.of("WHATSAPP", "EMAIL"));
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-WAXBQA22",
				stateChanged("c-wa-dedi", "PMH-261204-WAXBQA22", 2, "NEEDS_REVISION"))).get();
		String whatsapp = Deliveries.idOf("PMH-261204-WAXBQA22@2", "c-wa-dedi", Channel.WHATSAPP);
		await(() -> "FAILED".equals(statusOf(whatsapp)));
		assertThat(delivery(whatsapp).getString("reason")).contains("unreachable");
		assertThat(provider.sent(whatsapp)).isEqualTo(1);
		await(() -> mailTo("dedi.wa@warga.example").size() >= 2);
		assertThat(mailTo("dedi.wa@warga.example")).hasSize(2);
		String email = Deliveries.idOf("PMH-261204-WAXBQA22@2", "c-wa-dedi", Channel.EMAIL);
		await(() -> "SENT".equals(statusOf(email)));
		assertThat(statusOf(email)).isEqualTo("SENT");
	}

	@Test
	void a429MakesTheProviderWaitForItsRetryAfterWithoutUsingAnAttempt() throws Exception {
		String eka = issuer.citizen("c-sms-eka");
		verifiedPhone(eka, "081234567005", "+6281234567005");
		choose(eka, List.of("SMS"));
		StubMapping throttled = provider.server().stubFor(WireMock.post("/v1/messages").atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.to", WireMock.equalTo("+6281234567005")))
			.inScenario("throttled").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("again")
			.willReturn(WireMock.aResponse().withStatus(429).withHeader("Retry-After", "2")
				.withBody("{\"error\":\"rate_limited\"}")));
		try {
			this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA55",
					stateChanged("c-sms-eka", "PMH-261204-SMXBQA55", 2, "COMPLETED"))).get();
			String id = Deliveries.idOf("PMH-261204-SMXBQA55@2", "c-sms-eka", Channel.SMS);
			await(() -> "DELIVERED".equals(statusOf(id)));
			assertThat(statusOf(id)).isEqualTo("DELIVERED");
			var posts = provider.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/messages"))
				.withRequestBody(WireMock.matchingJsonPath("$.reference", WireMock.equalTo(id))));
			assertThat(posts).hasSize(2);
			// it waited the provider's 2 seconds, and the 429 did not count as an attempt
			assertThat(posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime())
				.isGreaterThanOrEqualTo(1900);
			assertThat(delivery(id).getInteger("attempts")).isEqualTo(1);
		}
		finally {
			provider.server().removeStub(throttled);
		}
	}

	@Test
	void theCircuitOpensOnAFailingProviderAndClosesWhenItIsBack() throws Exception {
		String fajar = issuer.citizen("c-wa-fajar");
		verifiedPhone(fajar, "081234567006", "+6281234567006");
		choose(fajar, List.of("WHATSAPP"));
		StubMapping down = provider.server().stubFor(WireMock.post("/v1/messages").atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.channel", WireMock.equalTo("whatsapp")))
			.willReturn(WireMock.aResponse().withStatus(500)));
		List<String> ids = new java.util.ArrayList<>();
		try {
			for (int n = 0; n < 8; n++) {
				String application = "PMH-261204-WAXCQ" + "ABCDEFGH".charAt(n) + "22";
				this.kafka.send(ContractExamples.record(STATE_CHANGED, application, stateChanged("c-wa-fajar", application, 2, "COMPLETED")))
					.get();
				ids.add(Deliveries.idOf(application + "@2", "c-wa-fajar", Channel.WHATSAPP));
			}
			await(() -> "OPEN".equals(this.phones.circuit(Channel.WHATSAPP)));
			assertThat(this.phones.circuit(Channel.WHATSAPP)).isEqualTo("OPEN");
			// while it is open, nothing is posted
			int posted = provider.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/messages"))
				.withRequestBody(WireMock.matchingJsonPath("$.channel", WireMock.equalTo("whatsapp")))).size();
			Thread.sleep(1000);
			assertThat(provider.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/messages"))
				.withRequestBody(WireMock.matchingJsonPath("$.channel", WireMock.equalTo("whatsapp"))))).hasSize(posted);
		}
		finally {
			provider.server().removeStub(down);
		}
		// the provider is back: after the open state one call goes through, the circuit closes, all are sent
		Instant back = Instant.now();
		await(() -> ids.stream().allMatch(id -> provider.sent(id) == 1));
		assertThat(ids).allMatch(id -> provider.sent(id) == 1);
		assertThat(this.phones.circuit(Channel.WHATSAPP)).isEqualTo("CLOSED");
		assertThat(java.time.Duration.between(back, Instant.now())).isLessThan(java.time.Duration.ofSeconds(20));
	}

	@Test
	void aResendAfterACrashIsRecognisedByTheProviderAndSentOnce() throws Exception {
		String gita = issuer.citizen("c-sms-gita");
		verifiedPhone(gita, "081234567007", "+6281234567007");
		choose(gita, List.of("SMS"));
		String id = Deliveries.idOf("PMH-261204-SMXBQA77@2", "c-sms-gita", Channel.SMS);
		// an instance posted the message, the provider took it, and the instance died before recording it
		java.net.http.HttpResponse<String> first = java.net.http.HttpClient.newHttpClient().send(
				java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + provider.port() + "/v1/messages"))
					.header("Authorization", "Bearer " + PROVIDER_KEY)
					.header("Content-Type", "application/json")
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"channel\":\"sms\",\"to\":\"+6281234567007\","
							+ "\"text\":\"Permohonan selesai\",\"reference\":\"" + id + "\",\"callback_url\":\"http://127.0.0.1:"
							+ port + "/providers/sms/receipts\"}"))
					.build(),
				java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(first.statusCode()).isEqualTo(202);
		Instant before = Instant.now().minusSeconds(180);
		this.store.insert(new Delivery(id, "PMH-261204-SMXBQA77@2", "c-sms-gita", Channel.SMS, Delivery.Status.SENDING, 1,
				"id", "Permohonan PMH-261204-SMXBQA77 selesai", "Silakan ambil di loket 1", false, before, before,
				before.plusSeconds(120), Delivery.revisionOf(id, 1), null, null, before, List.of(), null, null, null, null)).block();
		// the event comes again (not acknowledged before the crash): the delivery is found and sent again
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-SMXBQA77",
				stateChanged("c-sms-gita", "PMH-261204-SMXBQA77", 2, "COMPLETED"))).get();
		await(() -> "DELIVERED".equals(statusOf(id)));
		assertThat(statusOf(id)).isEqualTo("DELIVERED");
		assertThat(provider.posted(id)).isEqualTo(2);
		assertThat(provider.sent(id)).isEqualTo(1);
		assertThat(first.body()).contains(delivery(id).getString("providerMessageId"));
	}

	@Test
	void aBurstIsSpreadToTheProvidersRate() throws Exception {
		String indah = issuer.citizen("c-sms-indah");
		verifiedPhone(indah, "081234567009", "+6281234567009");
		choose(indah, List.of("SMS"));
		Thread.sleep(1200);
		List<String> ids = new java.util.ArrayList<>();
		for (int n = 0; n < 12; n++) {
			String application = "PMH-261204-SMXD" + "ABCDEFGHJKLM".charAt(n) + "A22";
			this.kafka.send(ContractExamples.record(STATE_CHANGED, application, stateChanged("c-sms-indah", application, 2, "COMPLETED")));
			ids.add(Deliveries.idOf(application + "@2", "c-sms-indah", Channel.SMS));
		}
		this.kafka.flush();
		await(() -> ids.stream().allMatch(id -> provider.sent(id) == 1));
		List<Instant> times = provider.messages().stream().filter(m -> ids.contains(m.reference()))
			.map(MessageProvider.Message::at).sorted().toList();
		assertThat(times).hasSize(12);
		// 5 at once (the bucket), then 5 a second: the last of 12 is at least 1.2 s after the first
		assertThat(java.time.Duration.between(times.get(0), times.get(11)).toMillis()).isGreaterThanOrEqualTo(1200);
		assertThat(ids).allMatch(id -> delivery(id).getInteger("attempts") == 1);
	}

	@Test
	void inQuietHoursOnTheMppsClockAnSmsWaitsUntilMorningButYouAreCalledDoesNot() throws Exception {
		String joko = issuer.citizen("c-sms-joko");
		verifiedPhone(joko, "081234567010", "+6281234567010");
		// quiet from an hour ago to an hour from now in Jayapura (WIT), which is two hours ahead of Jakarta
		java.time.LocalTime jayapura = java.time.LocalTime.now(java.time.ZoneId.of("Asia/Jayapura"))
			.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
		call("PUT", "/preferences", joko, Map.of("language", "id", "channels", List.of("SMS"), "quietHours",
				Map.of("from", jayapura.minusHours(1).toString(), "to", jayapura.plusHours(1).toString())))
			.expectStatus().isOk();
		// an application at an MPP in Jayapura: night there for joko, so the SMS waits for the end of it
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-QTXBQA22", ContractExamples.text(
				ContractExamples.first(STATE_CHANGED).put("applicant", "c-sms-joko").put("applicationId", "PMH-261204-QTXBQA22")
					.put("eventId", "PMH-261204-QTXBQA22@2").put("state", "COMPLETED").put("mppId", "kota-jayapura")))).get();
		// the same quiet hours do not hold an application in Probolinggo (WIB): there it is two hours earlier
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-QTXBQA33",
				stateChanged("c-sms-joko", "PMH-261204-QTXBQA33", 2, "COMPLETED"))).get();
		// "you are called", in Jayapura, is urgent: it never waits
		this.kafka.send(ContractExamples.record("mpp.queue.ticket-called.v1", "t-joko-000000001", ContractExamples.text(
				ContractExamples.first("mpp.queue.ticket-called.v1").put("holder", "c-sms-joko").put("ticketId", "t-joko-000000001")
					.put("eventId", "bbbbbbbbbbbbbbbbbbbbbbb7").put("mppId", "kota-jayapura").put("number", "C-007")
					.put("counter", 2).put("recall", 0)))).get();
		String held = Deliveries.idOf("PMH-261204-QTXBQA22@2", "c-sms-joko", Channel.SMS);
		String probolinggo = Deliveries.idOf("PMH-261204-QTXBQA33@2", "c-sms-joko", Channel.SMS);
		String called = Deliveries.idOf("bbbbbbbbbbbbbbbbbbbbbbb7", "c-sms-joko", Channel.SMS);
		await(() -> provider.sent(called) == 1 && provider.sent(probolinggo) == 1);
		assertThat(provider.sent(called)).isEqualTo(1);
		assertThat(provider.sent(probolinggo)).isEqualTo(1);
		Thread.sleep(1000);
		assertThat(provider.posted(held)).isZero();
		Document waiting = delivery(held);
		assertThat(waiting.getString("status")).isEqualTo("QUEUED");
		assertThat(waiting.getString("zone")).isEqualTo("Asia/Jayapura");
		java.time.ZonedDateTime end = java.time.ZonedDateTime.now(java.time.ZoneId.of("Asia/Jayapura"))
			.with(jayapura.plusHours(1));
		// past midnight there, the quiet hours end tomorrow
		java.time.Instant morning = (end.isBefore(java.time.ZonedDateTime.now()) ? end.plusDays(1) : end).toInstant();
		java.time.Instant due = waiting.getDate("nextAttemptAt").toInstant();
		assertThat(java.time.Duration.between(due, morning).abs()).isLessThan(java.time.Duration.ofMinutes(1));
	}

	@Test
	void aNumberThatIsNotOneOrAWrongCodeIsRefusedAndChangesNothing() throws Exception {
		String hana = issuer.citizen("c-sms-hana");
		call("PUT", "/preferences/phone", hana, Map.of("number", "12ab")).expectStatus().isEqualTo(422)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("number");
		call("PUT", "/preferences", hana, Map.of("language", "id", "channels", List.of("SMS"))).expectStatus()
			.isEqualTo(422);
		call("PUT", "/preferences/phone", hana, Map.of("number", "081234567008")).expectStatus().isAccepted();
		call("POST", "/preferences/phone/verification", hana, Map.of("code", "000000")).expectStatus().isEqualTo(422);
		call("GET", "/preferences", hana, null).expectStatus().isOk().expectBody()
			.jsonPath("$.phone.verified").isEqualTo(false)
			.jsonPath("$.phone.attemptsLeft").isEqualTo(4)
			.jsonPath("$.channels").isEmpty();
		call("PUT", "/preferences", hana, Map.of("language", "id", "channels", List.of("EMAIL", "EMAIL")))
			.expectStatus().isEqualTo(422);
	}

}
