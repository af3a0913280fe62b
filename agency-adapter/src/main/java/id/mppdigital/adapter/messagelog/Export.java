package id.mppdigital.adapter.messagelog;

import java.time.Instant;
import java.util.List;

/**
 * A period of the message log as an operator exports it: the entries, the seals over them, and the
 * public key to verify them with ({@link MessageLogVerifier}).
 */
public record Export(Instant from, Instant to, List<Entry> entries, List<Seal> seals, String publicKey) {
}
