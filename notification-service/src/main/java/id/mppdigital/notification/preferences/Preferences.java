package id.mppdigital.notification.preferences;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import id.mppdigital.notification.channels.Channel;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * How one citizen wants to be told. The in-app inbox is always on; every other channel only with a
 * contact the citizen verified (a one-time code sent to it) and opted in to.
 *
 * @param id the citizen's subject
 * @param language {@code id} (the default) or {@code en}
 * @param channels the channels opted in to, each with a verified contact, in the citizen's order: a
 *        message goes to the first; when it fails there for good, to the next
 * @param quietFrom from when, in the MPP's time zone, non-urgent SMS and WhatsApp wait until {@code quietTo}
 * @param email the email address, stored encrypted, and its verification
 * @param phone the mobile number (E.164, for SMS and WhatsApp), stored encrypted, and its verification
 */
@Document("preferences")
record Preferences(@Id String id, String language, List<Channel> channels, LocalTime quietFrom, LocalTime quietTo,
		Contact email, Contact phone, Instant updatedAt) {

	static final LocalTime QUIET_FROM = LocalTime.of(21, 0);

	static final LocalTime QUIET_TO = LocalTime.of(7, 0);

	static Preferences defaults(String subject) {
		return new Preferences(subject, "id", List.of(), QUIET_FROM, QUIET_TO, null, null, null);
	}

	/**
	 * A contact (address or phone number) and its verification.
	 *
	 * @param sealed the contact, encrypted ({@code Vault}, the citizen's subject bound in)
	 * @param code the keyed fingerprint of the one-time code sent to it, while unverified
	 * @param codeExpiresAt until when that code is accepted
	 * @param attempts wrong codes entered for it
	 */
	record Contact(String sealed, boolean verified, String code, Instant codeExpiresAt, int attempts, Instant verifiedAt) {
	}

}
