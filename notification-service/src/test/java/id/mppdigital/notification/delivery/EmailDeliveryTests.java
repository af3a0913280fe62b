package id.mppdigital.notification.delivery;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.notification.NotificationWebTests;
import id.mppdigital.notification.channels.Channel;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Email over a real SMTP server: a citizen verifies an address with the code sent to it, opts in,
 * and is then emailed each change of their application once — in their language, with both parts,
 * a stable {@code Message-ID} and {@code List-Unsubscribe} — whatever is redelivered or interrupted.
 */
class EmailDeliveryTests extends NotificationWebTests {

	@Autowired
	org.springframework.data.mongodb.core.ReactiveMongoTemplate store;

	@Autowired
	Retention retention;

	/** Adds the address, reads the code from the mail the SMTP server received, enters it and opts in. */
	private String verifiedAndOptedIn(String token, String address, String language) throws Exception {
		int before = mailTo(address).size();
		call("PUT", "/preferences/email", token, Map.of("address", address)).expectStatus().isAccepted();
		await(() -> mailTo(address).size() > before);
		Matcher code = Pattern.compile("([0-9]{6})").matcher(mailTo(address).get(before).getSubject());
		assertThat(code.find()).isTrue();
		call("POST", "/preferences/email/verification", token, Map.of("code", code.group(1))).expectStatus().isOk()
			.expectBody().jsonPath("$.email.verified").isEqualTo(true);
		call("PUT", "/preferences", token, Map.of("language", language, "channels", List.of("EMAIL")))
			.expectStatus().isOk();
		return code.group(1);
	}

	@Test
	void aCitizenWithAVerifiedAddressIsEmailedEachChangeOnceInTheirLanguage() throws Exception {
		String siti = issuer.citizen("c-mail-siti");
		String address = "siti.mail@warga.example";
		verifiedAndOptedIn(siti, address, "en");
		String first = stateChanged("c-mail-siti", "PMH-261204-EMXBQA22", 2, "COMPLETED");
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA22", first)).get();
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA22", first)).get();
		// a later event of the same application comes after the redelivered one (one partition)
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA22",
				stateChanged("c-mail-siti", "PMH-261204-EMXBQA22", 3, "IN_PROCESS"))).get();
		await(() -> mailTo(address).size() >= 3);
		Thread.sleep(500);
		List<MimeMessage> mails = mailTo(address);
		// the code, then each change once
		assertThat(mails).hasSize(3);
		MimeMessage completed = mails.get(1);
		assertThat(completed.getSubject()).isEqualTo("Application PMH-261204-EMXBQA22 is completed");
		assertThat(completed.getMessageID())
			.isEqualTo("<" + Deliveries.idOf("PMH-261204-EMXBQA22@2", "c-mail-siti", Channel.EMAIL) + "@mpp-digital.id>");
		assertThat(completed.getHeader("Content-Language", null)).isEqualTo("en");
		assertThat(completed.getHeader("List-Unsubscribe", null)).startsWith("<https://").endsWith(">");
		assertThat(completed.getFrom()[0].toString()).contains("no-reply@mpp-digital.id");
		assertThat(completed.getContentType()).startsWith("multipart/alternative");
		MimeMultipart parts = (MimeMultipart) completed.getContent();
		assertThat(parts.getCount()).isEqualTo(2);
		assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
		assertThat((String) parts.getBodyPart(0).getContent()).contains("Silakan ambil di loket 1");
		assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
		assertThat((String) parts.getBodyPart(1).getContent()).contains("<html lang=\"en\">")
			.contains("Application PMH-261204-EMXBQA22 is completed");
		assertThat(mails.get(2).getSubject()).isEqualTo("Application PMH-261204-EMXBQA22 is being processed");

		await(() -> "SENT".equals(delivery(Deliveries.idOf("PMH-261204-EMXBQA22@2", "c-mail-siti", Channel.EMAIL))
			.getString("status")));
		Document delivery = delivery(Deliveries.idOf("PMH-261204-EMXBQA22@2", "c-mail-siti", Channel.EMAIL));
		assertThat(delivery.getString("status")).isEqualTo("SENT");
		assertThat(delivery.getInteger("attempts")).isEqualTo(1);

		// the end is reported to operators and analytics, by the contract, without the address or text
		ConsumerRecord<String, String> report = report(delivery.getString("_id"));
		Map<?, ?> reported = this.contracts.read(report, Map.class);
		assertThat(reported.get("status")).isEqualTo("SENT");
		assertThat(reported.get("toldEventId")).isEqualTo("PMH-261204-EMXBQA22@2");
		assertThat(reported.get("attempts")).isEqualTo(1);
		assertThat(report.value()).doesNotContain("siti.mail").doesNotContain("Silakan");
		await(() -> delivery(delivery.getString("_id")).getList("unsent", Object.class).isEmpty());
		assertThat(delivery(delivery.getString("_id")).getList("unsent", Object.class)).isEmpty();

		// after the retention (a day here) the text is gone, the record of the delivery stays
		assertThat(this.retention.removeNow().block()).isZero();
		this.store.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
				org.springframework.data.mongodb.core.query.Criteria.where("_id").is(delivery.getString("_id"))),
				new org.springframework.data.mongodb.core.query.Update().set("createdAt",
						java.time.Instant.now().minus(java.time.Duration.ofDays(2))),
				Delivery.class).block();
		assertThat(this.retention.removeNow().block()).isEqualTo(1);
		Document kept = delivery(delivery.getString("_id"));
		assertThat(kept.containsKey("text")).isFalse();
		assertThat(kept.containsKey("subject")).isFalse();
		assertThat(kept.getString("status")).isEqualTo("SENT");
	}

	@Test
	void aSendInterruptedBeforeItWasRecordedIsSentAgainAsTheSameMessage() throws Exception {
		String eko = issuer.citizen("c-mail-eko");
		String address = "eko.mail@warga.example";
		verifiedAndOptedIn(eko, address, "id");
		String id = Deliveries.idOf("PMH-261204-EMXBQA33@2", "c-mail-eko", Channel.EMAIL);
		// an instance claimed the delivery and stopped while sending it (its claim ran out a minute ago)
		java.time.Instant before = java.time.Instant.now().minusSeconds(180);
		this.store.insert(new Delivery(id, "PMH-261204-EMXBQA33@2", "c-mail-eko", Channel.EMAIL, Delivery.Status.SENDING,
				1, "id", "Permohonan PMH-261204-EMXBQA33 selesai", "Silakan ambil di loket 1", false, before, before,
				before.plusSeconds(120), Delivery.revisionOf(id, 1), null, null, before, List.of(), null, null, null, null)).block();
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA33",
				stateChanged("c-mail-eko", "PMH-261204-EMXBQA33", 2, "COMPLETED"))).get();
		await(() -> mailTo(address).size() >= 2);
		MimeMessage resent = mailTo(address).get(1);
		assertThat(resent.getMessageID()).isEqualTo("<" + id + "@mpp-digital.id>");
		assertThat(resent.getHeader("Content-Language", null)).isEqualTo("id");
		// "you are called" must reach them: nothing to unsubscribe from
		this.kafka.send(ContractExamples.record("mpp.queue.ticket-called.v1", "t-eko-0000000001", ContractExamples.text(
				ContractExamples.first("mpp.queue.ticket-called.v1").put("holder", "c-mail-eko").put("ticketId", "t-eko-0000000001")
					.put("eventId", "bbbbbbbbbbbbbbbbbbbbbbb1").put("number", "B-012").put("counter", 3).put("recall", 0)))).get();
		await(() -> mailTo(address).size() >= 3);
		MimeMessage called = mailTo(address).get(2);
		assertThat(called.getSubject()).contains("B-012").contains("3");
		assertThat(called.getHeader("List-Unsubscribe")).isNull();
		assertThat(mailTo(address)).hasSize(3);
	}

	@Test
	void whileTheMailServerIsDownTheInboxIsToldAtOnceAndTheEmailFollowsOnceItIsBack() throws Exception {
		String rina = issuer.citizen("c-mail-rina");
		String address = "rina.mail@warga.example";
		verifiedAndOptedIn(rina, address, "id");
		String id = Deliveries.idOf("PMH-261204-EMXBQA44@2", "c-mail-rina", Channel.EMAIL);
		smtp.stop();
		try {
			this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA44",
					stateChanged("c-mail-rina", "PMH-261204-EMXBQA44", 2, "APPROVED"))).get();
			// the inbox does not wait for the mail server
			await(() -> inboxSize(rina) == 1);
			assertThat(inboxSize(rina)).isEqualTo(1);
			// refused twice, and waiting for the next try (an attempt counts from its claim, while SENDING)
			await(() -> attempts(id) >= 2 && "QUEUED".equals(delivery(id).getString("status")));
			Document refused = delivery(id);
			assertThat(refused.getString("status")).isEqualTo("QUEUED");
			assertThat(refused.getString("reason")).isNotBlank().doesNotContain("rina.mail");
		}
		finally {
			smtp.start();
		}
		await(() -> "SENT".equals(delivery(id).getString("status")));
		assertThat(delivery(id).getString("status")).isEqualTo("SENT");
		Thread.sleep(1500);
		// the restarted server holds what it received since: the approval, once
		List<MimeMessage> mails = mailTo(address);
		assertThat(mails).hasSize(1);
		assertThat(mails.get(0).getMessageID()).isEqualTo("<" + id + "@mpp-digital.id>");
		assertThat(delivery(id).getInteger("attempts")).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aMailServerRestartBetweenTwoMessagesCostsTheSecondNoAttempt() throws Exception {
		String dewi = issuer.citizen("c-mail-dewi");
		String address = "dewi.mail@warga.example";
		verifiedAndOptedIn(dewi, address, "id");
		String first = Deliveries.idOf("PMH-261204-EMXBQA66@2", "c-mail-dewi", Channel.EMAIL);
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA66",
				stateChanged("c-mail-dewi", "PMH-261204-EMXBQA66", 2, "IN_PROCESS"))).get();
		await(() -> delivery(first) != null && "SENT".equals(delivery(first).getString("status")));
		// the connections kept open since are cut by the restart
		smtp.stop();
		smtp.start();
		String second = Deliveries.idOf("PMH-261204-EMXBQA66@3", "c-mail-dewi", Channel.EMAIL);
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA66",
				stateChanged("c-mail-dewi", "PMH-261204-EMXBQA66", 3, "COMPLETED"))).get();
		await(() -> delivery(second) != null && "SENT".equals(delivery(second).getString("status")));
		assertThat(delivery(second).getString("status")).isEqualTo("SENT");
		// sent on a new connection at once, not refused and tried again later
		assertThat(delivery(second).getInteger("attempts")).isEqualTo(1);
		Thread.sleep(500);
		List<MimeMessage> mails = mailTo(address);
		assertThat(mails).hasSize(1);
		assertThat(mails.get(0).getMessageID()).isEqualTo("<" + second + "@mpp-digital.id>");
	}

	@Test
	void aDeliveryFailedForGoodIsShownToOperatorsAndSentOnceWhenTheyRetryIt() throws Exception {
		String tono = issuer.citizen("c-mail-tono");
		String address = "tono.mail@warga.example";
		verifiedAndOptedIn(tono, address, "en");
		String id = Deliveries.idOf("PMH-261204-EMXBQA55@2", "c-mail-tono", Channel.EMAIL);
		String operator = issuer.token("ops-1", Map.of("roles", List.of("operator")));
		smtp.stop();
		try {
			this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-EMXBQA55",
					stateChanged("c-mail-tono", "PMH-261204-EMXBQA55", 2, "REJECTED"))).get();
			// three refused attempts (after 1 s and 2 s): failed for good
			await(() -> delivery(id) != null && "FAILED".equals(delivery(id).getString("status")));
		}
		finally {
			smtp.start();
		}
		assertThat(delivery(id).getInteger("attempts")).isEqualTo(3);
		Map<?, ?> failedReport = this.contracts.read(report(id), Map.class);
		assertThat(failedReport.get("status")).isEqualTo("FAILED");
		assertThat((String) failedReport.get("reason")).isNotBlank().doesNotContain("tono.mail");
		String failures = call("GET", "/deliveries/failures?channel=EMAIL", operator, null).expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(failures).contains(id).contains("\"byReason\"").doesNotContain("tono.mail")
			.doesNotContain("Silakan");
		call("GET", "/deliveries/failures", tono, null).expectStatus().isForbidden();
		call("POST", "/deliveries/" + id + "/retry", tono, null).expectStatus().isForbidden();
		// the operator fixed the mail server: sent again, once
		call("POST", "/deliveries/" + id + "/retry", operator, null).expectStatus().isAccepted();
		await(() -> "SENT".equals(delivery(id).getString("status")));
		assertThat(delivery(id).getString("status")).isEqualTo("SENT");
		call("POST", "/deliveries/" + id + "/retry", operator, null).expectStatus().isNotFound();
		call("POST", "/deliveries/failures/retry?channel=EMAIL", operator, null).expectStatus().isAccepted()
			.expectBody().jsonPath("$.deliveries").isEqualTo(0);
		Thread.sleep(1000);
		assertThat(mailTo(address)).hasSize(1);
		assertThat(mailTo(address).get(0).getSubject()).isEqualTo("Application PMH-261204-EMXBQA55 was rejected");
	}

	@Autowired
	id.mppdigital.defaults.events.Contracts contracts;

	/** The report of one delivery on mpp.notification.delivery-reported.v1, read from the topic's start. */
	private ConsumerRecord<String, String> report(String deliveryId) {
		Map<String, Object> props = org.springframework.kafka.test.utils.KafkaTestUtils.consumerProps(this.broker,
				"report-probe-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "earliest");
		try (org.apache.kafka.clients.consumer.Consumer<String, String> consumer = new org.springframework.kafka.core.DefaultKafkaConsumerFactory<>(
				props, new org.apache.kafka.common.serialization.StringDeserializer(),
				new org.apache.kafka.common.serialization.StringDeserializer())
			.createConsumer()) {
			// no group to join: every partition, from its start
			List<org.apache.kafka.common.TopicPartition> partitions = consumer
				.partitionsFor("mpp.notification.delivery-reported.v1")
				.stream()
				.map(info -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : org.springframework.kafka.test.utils.KafkaTestUtils
					.getRecords(consumer, java.time.Duration.ofMillis(500))) {
					if (deliveryId.equals(record.key())) {
						return record;
					}
				}
			}
		}
		throw new AssertionError("no report of delivery " + deliveryId);
	}

	private long inboxSize(String token) {
		return ((List<?>) call("GET", "/inbox", token, null).expectBody(Map.class).returnResult().getResponseBody()
			.get("items")).size();
	}

	private Document delivery(String id) {
		return this.store.getCollection("deliveries")
			.flatMap(collection -> reactor.core.publisher.Mono.from(collection.find(new Document("_id", id)).first()))
			.block();
	}

	private int attempts(String id) {
		Document delivery = delivery(id);
		return delivery == null ? 0 : delivery.getInteger("attempts");
	}

	@Test
	void anAddressIsUsedOnlyOnceItsCodeWasEnteredAndIsStoredEncrypted() throws Exception {
		String budi = issuer.citizen("c-mail-budi");
		String address = "budi.mail@warga.example";
		// not an address: refused, nothing sent
		call("PUT", "/preferences/email", budi, Map.of("address", "budi at warga")).expectStatus().isEqualTo(422)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		call("PUT", "/preferences/email", budi, Map.of("address", address)).expectStatus().isAccepted()
			.expectBody().jsonPath("$.email.verified").isEqualTo(false).jsonPath("$.email.attemptsLeft").isEqualTo(5)
			.jsonPath("$.channels.length()").isEqualTo(0);
		await(() -> mailTo(address).size() == 1);
		String code = firstCode(mailTo(address).get(0).getSubject());
		// email cannot be chosen before the address is verified
		call("PUT", "/preferences", budi, Map.of("language", "id", "channels", List.of("EMAIL"))).expectStatus()
			.isEqualTo(422).expectBody().jsonPath("$.errors[0].field").isEqualTo("channels");
		String wrong = code.equals("000000") ? "111111" : "000000";
		call("POST", "/preferences/email/verification", budi, Map.of("code", wrong)).expectStatus().isEqualTo(422);
		call("GET", "/preferences", budi, null).expectStatus().isOk().expectBody()
			.jsonPath("$.email.address").isEqualTo(address)
			.jsonPath("$.email.verified").isEqualTo(false)
			.jsonPath("$.email.attemptsLeft").isEqualTo(4)
			.jsonPath("$.channels.length()").isEqualTo(0);
		// the address never appears in the store
		String stored = this.store.getCollection("preferences")
			.flatMap(collection -> reactor.core.publisher.Mono.from(collection.find(new Document("_id", "c-mail-budi")).first()))
			.map(Document::toJson)
			.block();
		assertThat(stored).doesNotContain("budi.mail").doesNotContain(code).contains("enc:k1:");
		// after five wrong codes the code is no longer accepted, not even the right one
		for (int attempt = 2; attempt <= 5; attempt++) {
			call("POST", "/preferences/email/verification", budi, Map.of("code", wrong)).expectStatus().isEqualTo(422);
		}
		call("POST", "/preferences/email/verification", budi, Map.of("code", code)).expectStatus().isEqualTo(409);
		// another citizen has their own settings; staff and strangers have none here
		call("GET", "/preferences", issuer.citizen("c-mail-other"), null).expectStatus().isOk().expectBody()
			.jsonPath("$.email").doesNotExist().jsonPath("$.language").isEqualTo("id");
		call("GET", "/preferences", issuer.officer("s-1", "kota-probolinggo", "dukcapil"), null).expectStatus().isForbidden();
		this.client.get().uri("/preferences").exchange().expectStatus().isUnauthorized();
	}

	private static String firstCode(String subject) {
		Matcher code = Pattern.compile("([0-9]{6})").matcher(subject);
		assertThat(code.find()).isTrue();
		return code.group(1);
	}

}
