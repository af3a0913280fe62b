package id.mppdigital.adapter.messagelog;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One message to or from an agency, chained to the one before it.
 *
 * @param id its number in the log, from 1, without gaps
 * @param direction OUT (to the agency) or IN (from it)
 * @param kind what it was: {@code application}, {@code report}
 * @param bodyHash the SHA-256 of the message's body
 * @param previousHash the hash of entry {@code id - 1} ({@link MessageLog#GENESIS} for the first)
 * @param hash the SHA-256 of all the above ({@link #text})
 */
@Document("message_log")
public record Entry(@Id long id, Instant at, String direction, String agencyId, String applicationId, String kind,
		String bodyHash, String previousHash, String hash) {

	static Entry of(long id, Instant at, String direction, String agencyId, String applicationId, String kind,
			String bodyHash, String previousHash) {
		return new Entry(id, at, direction, agencyId, applicationId, kind, bodyHash, previousHash,
				Hashes.sha256(text(id, at, direction, agencyId, applicationId, kind, bodyHash, previousHash)));
	}

	/** What the hash is over: every field, one per line, in this order. */
	static String text(long id, Instant at, String direction, String agencyId, String applicationId, String kind,
			String bodyHash, String previousHash) {
		return String.join("\n", Long.toString(id), at.toString(), direction, agencyId, String.valueOf(applicationId),
				kind, bodyHash, previousHash);
	}

	/** Whether its hash is the hash of its fields. */
	boolean intact() {
		return this.hash.equals(Hashes.sha256(text(this.id, this.at, this.direction, this.agencyId, this.applicationId,
				this.kind, this.bodyHash, this.previousHash)));
	}

}
