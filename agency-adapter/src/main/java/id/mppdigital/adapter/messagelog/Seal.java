package id.mppdigital.adapter.messagelog;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A batch of entries signed: entries {@code from} to {@code id}, through the hash of the last.
 *
 * @param id the last entry it covers
 * @param hash that entry's hash
 * @param signature Ed25519 over {@link #signed}, Base64
 */
@Document("message_log_seals")
record Seal(@Id long id, long from, String hash, Instant at, String signature) {

	/** What a seal signs. */
	static String signed(long from, long to, String hash) {
		return "mpp-message-log\n" + from + "\n" + to + "\n" + hash;
	}

}
