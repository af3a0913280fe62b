package id.mppdigital.notification.templates;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The template in use for one kind, channel and language (its latest version; every version is kept in
 * {@code template-versions} with the same fields).
 *
 * @param id {@code <kind>/<channel>/<language>}
 * @param subject the email's subject and the inbox's title (SMS and WhatsApp send the body only)
 * @param savedBy the administrator's subject
 */
@Document("templates")
record Template(@Id String id, String kind, String channel, String language, int version, String subject,
		String body, Instant savedAt, String savedBy) {

	static String idOf(String kind, String channel, String language) {
		return kind + "/" + channel + "/" + language;
	}

	/** The same version, under its id in {@code template-versions}. */
	Version asVersion() {
		return new Version(this.id + "#" + this.version, this.kind, this.channel, this.language, this.version,
				this.subject, this.body, this.savedAt, this.savedBy);
	}

	@Document("template-versions")
	record Version(@Id String id, String kind, String channel, String language, int version, String subject,
			String body, Instant savedAt, String savedBy) {
	}

}
