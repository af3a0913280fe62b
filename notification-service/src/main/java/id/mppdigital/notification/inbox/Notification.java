package id.mppdigital.notification.inbox;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One message in a citizen's in-app inbox, in both languages (the app shows the one it asks for).
 *
 * @param id the id of the event it tells of: one event is never told twice
 * @param recipient the citizen's subject
 * @param applicationId the application it tells of, or null
 * @param ticketId the queue ticket it tells of, or null
 * @param state the application's state, or the ticket's ({@code CALLED}, {@code RECALLED}, {@code TURN_NEAR})
 * @param readAt when the citizen marked it read; null while unread
 */
@Document("notifications")
record Notification(@Id String id, String recipient, String applicationId, String ticketId, String state, Text title,
		Text body, Instant createdAt, Instant readAt) {

	/** Bahasa Indonesia and English. */
	public record Text(String id, String en) {

		String in(String language) {
			return "en".equals(language) ? this.en : this.id;
		}

	}

}
