package id.mppdigital.notification.delivery;

import java.time.Instant;

import id.mppdigital.notification.channels.Channel;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One message of one event to one citizen on one channel: there is exactly one per event, recipient
 * and channel (its id is made of the three), whatever is redelivered.
 *
 * @param id {@link Deliveries#idOf}: also the email's {@code Message-ID}, the same on every attempt
 * @param status GOV.UK Notify's states: queued → sending → sent (the provider or SMTP server accepted
 *        it) → delivered; or failed, for good, with the reason
 * @param attempts sends started
 * @param nextAttemptAt when it is (next) due
 * @param claimedUntil while sending: until when the instance sending it holds it (a crash lets it go)
 * @param revision {@code <id>#<claims>}: the key of the conditional write that claims it
 * @param reason why the last attempt failed (addresses masked)
 * @param subject what it says, kept for the retries (and removed after the retention, issue 13)
 * @param eventAt when the event happened (its record's time): the latency is measured from it
 * @param unsent the reports of its end that Kafka has not acknowledged yet (the outbox, {@link Reports})
 * @param providerMessageId SMS, WhatsApp: the provider's id for it once accepted (its receipts name it)
 * @param zone the time zone of the MPP the event is about: the recipient's quiet hours are read on it
 * @param kind the template kind of what it tells ({@code Kinds})
 * @param variables the event's values for the template: kept to render it for the next channel in a
 *        fallback, and removed with the text after the retention
 */
@Document("deliveries")
record Delivery(@Id String id, String eventId, String recipient, Channel channel, Status status, int attempts,
		String language, String subject, String text, boolean urgent, Instant createdAt, Instant nextAttemptAt,
		Instant claimedUntil, String revision, Instant sentAt, String reason, Instant eventAt,
		java.util.List<Unsent> unsent, String providerMessageId, String zone, String kind,
		java.util.Map<String, String> variables) {

	/** An event written with the change it reports, in the same write; removed once Kafka has it. */
	record Unsent(String eventId, String topic, String key, String type, Instant at, String json) {
	}

	enum Status {

		QUEUED, SENDING, SENT, DELIVERED, FAILED

	}

	static String revisionOf(String id, int claims) {
		return id + "#" + claims;
	}

	/** The same, queued again for {@code at} after {@code reason} (the store holds the same). */
	Delivery queuedFor(Instant at, int attempts, String reason) {
		return new Delivery(this.id, this.eventId, this.recipient, this.channel, Status.QUEUED, attempts, this.language,
				this.subject, this.text, this.urgent, this.createdAt, at, null, this.revision, null, reason, this.eventAt,
				this.unsent, this.providerMessageId, this.zone, this.kind, this.variables);
	}

	/** The zone its quiet hours are read on (WIB for a delivery recorded before zones were). */
	java.time.ZoneId zoneId() {
		return this.zone == null ? MppZones.FALLBACK : java.time.ZoneId.of(this.zone);
	}

	/** Whether quiet hours hold it back: SMS and WhatsApp, unless it is urgent ("you are called"). */
	boolean quietable() {
		return !this.urgent && (this.channel == Channel.SMS || this.channel == Channel.WHATSAPP);
	}

	/** Whether it still has to be sent: queued, or sending by an instance that stopped. */
	boolean open(Instant now) {
		return this.status == Status.QUEUED || (this.status == Status.SENDING && this.claimedUntil.isBefore(now));
	}

}
