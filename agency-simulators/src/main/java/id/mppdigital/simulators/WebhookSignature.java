package id.mppdigital.simulators;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an agency signs what it sends to the adapter's webhook, as the adapter documents it:
 * {@code X-MPP-Timestamp} (Unix seconds) and {@code X-MPP-Signature: v1=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" under the shared secret>}. The simulators sign with it; the adapter checks
 * with its own code.
 */
public final class WebhookSignature {

	public static final String TIMESTAMP_HEADER = "X-MPP-Timestamp";

	public static final String SIGNATURE_HEADER = "X-MPP-Signature";

	private WebhookSignature() {
	}

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
