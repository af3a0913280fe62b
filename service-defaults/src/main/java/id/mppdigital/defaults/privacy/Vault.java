package id.mppdigital.defaults.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data at rest (application forms, citizens' contacts): AES-256-GCM, a fresh nonce per
 * value, the record's id bound in as associated data so that a value cannot be moved to another
 * record, with the keys outside the database. A copy of the database, a backup or a query console
 * shows no personal data.
 * <p>
 * Stored as {@code enc:<key id>:<base64 nonce+ciphertext>}. Several keys may be configured: the
 * active one encrypts, every one decrypts, so keys can be rolled over without rewriting old values.
 * A value without the prefix is read as written before encryption existed.
 */
public final class Vault {

	private static final String PREFIX = "enc:";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, SecretKey> keys;

	private final String active;

	private final String what;

	/**
	 * @param property the configuration property the keys come from, for the messages
	 * @param environment the environment variable that usually holds the key, for the messages
	 * @param keys key id → base64 of 32 random bytes ({@code openssl rand -base64 32})
	 * @param active the key id new values are encrypted with
	 */
	public Vault(String property, String environment, Map<String, String> keys, String active) {
		this.what = property;
		if (keys == null || active == null || !keys.containsKey(active)) {
			throw new IllegalStateException(property + " needs keys and an active key id among them (" + environment
					+ ": openssl rand -base64 32)");
		}
		this.keys = keys.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> {
			if (entry.getValue() == null || entry.getValue().isBlank()) {
				throw new IllegalStateException(property + " key " + entry.getKey() + " is empty: set " + environment
						+ " (openssl rand -base64 32)");
			}
			byte[] bytes = Base64.getDecoder().decode(entry.getValue().trim());
			if (bytes.length != 32) {
				throw new IllegalStateException(property + " key " + entry.getKey() + " must be 32 bytes, base64");
			}
			return new SecretKeySpec(bytes, "AES");
		}));
		this.active = active;
	}

	/** The value as stored for the record {@code owner}. */
	public String seal(String owner, String value) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] sealed = crypt(Cipher.ENCRYPT_MODE, this.keys.get(this.active), nonce, owner,
				value.getBytes(StandardCharsets.UTF_8));
		byte[] stored = new byte[NONCE_BYTES + sealed.length];
		System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
		System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
		return PREFIX + this.active + ":" + Base64.getEncoder().encodeToString(stored);
	}

	/** The value as given; fails if the stored value was altered or belongs to another record. */
	public String open(String owner, String stored) {
		if (!stored.startsWith(PREFIX)) {
			return stored;
		}
		int colon = stored.indexOf(':', PREFIX.length());
		SecretKey key = this.keys.get(stored.substring(PREFIX.length(), colon));
		if (key == null) {
			throw new IllegalStateException("No " + this.what + " key '" + stored.substring(PREFIX.length(), colon)
					+ "' is configured: it is needed to read " + owner);
		}
		byte[] bytes = Base64.getDecoder().decode(stored.substring(colon + 1));
		byte[] nonce = new byte[NONCE_BYTES];
		System.arraycopy(bytes, 0, nonce, 0, NONCE_BYTES);
		byte[] sealed = new byte[bytes.length - NONCE_BYTES];
		System.arraycopy(bytes, NONCE_BYTES, sealed, 0, sealed.length);
		return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, owner, sealed), StandardCharsets.UTF_8);
	}

	/**
	 * A keyed fingerprint (HMAC-SHA-256 under a key derived from the active one for {@code purpose}):
	 * tells two values apart, or checks a one-time code, without storing anything the value could be
	 * guessed back from.
	 */
	public String fingerprint(String purpose, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.keys.get(this.active));
			byte[] derived = mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
			mac.init(new SecretKeySpec(derived, "HmacSHA256"));
			return this.active + ":" + Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private byte[] crypt(int mode, SecretKey key, byte[] nonce, String owner, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A " + this.what + " value of " + owner + " cannot be "
					+ (mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted (altered, or another record's)"), ex);
		}
	}

}
