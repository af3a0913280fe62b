package id.mppdigital.defaults.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the platform checks a call made to it by a system outside (an agency's back office reporting,
 * a message provider's delivery receipt): a timestamp header in Unix seconds and a signature header
 * {@code v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the secret both sides hold>} (Stripe's and
 * GitHub's scheme). A call is believed only when the signature matches, compared in constant time,
 * and the timestamp is within {@link #TOLERANCE} of now; what a caller must still do is refuse a
 * call it has seen before (a replay carries a valid signature).
 */
public final class WebhookSignatures {

	/** How far a call's timestamp may be from now. */
	public static final Duration TOLERANCE = Duration.ofMinutes(5);

	private WebhookSignatures() {
	}

	/** Whether {@code signature} is {@code body}'s, signed with {@code secret} within the tolerance of {@code now}. */
	public static boolean signedNow(String secret, String timestamp, String signature, String body, Instant now) {
		if (secret == null || secret.isBlank() || timestamp == null || signature == null
				|| !timestamp.matches("[0-9]{1,12}") || body == null) {
			return false;
		}
		Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
		if (Duration.between(at, now).abs().compareTo(TOLERANCE) > 0) {
			return false;
		}
		String expected = sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body);
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	/** The signature of {@code body} at {@code timestamp}: {@code v1=<hex>}. */
	public static String sign(byte[] secret, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return "v1=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
