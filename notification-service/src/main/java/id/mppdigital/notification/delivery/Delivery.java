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
 * @param status GOV.UK Notify's states: queued → sent (the provider or SMTP server accepted it) →
 *        delivered; or failed, with the reason
 * @param attempts sends tried
 * @param subject what it says, kept for the retries (and removed after the retention, issue 13)
 */
@Document("deliveries")
record Delivery(@Id String id, String eventId, String recipient, Channel channel, Status status, int attempts,
		String language, String subject, String text, boolean urgent, Instant createdAt, Instant sentAt, String reason) {

	enum Status {

		QUEUED, SENT, DELIVERED, FAILED

	}

}
