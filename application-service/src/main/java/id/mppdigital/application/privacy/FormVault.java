package id.mppdigital.application.privacy;

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

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Application forms hold a citizen's NIK, name, address and phone: they are stored encrypted
 * (AES-256-GCM, a fresh nonce per form, the application id bound in as associated data so a form
 * cannot be moved to another application), with the keys outside the database. A copy of the
 * database, a backup or a query console shows no personal data.
 * <p>
 * Stored as {@code enc:<key id>:<base64 nonce+ciphertext>}. Several keys may be configured: the
 * active one encrypts, every one decrypts, so keys can be rolled over without rewriting old forms.
 * A value without the prefix is read as written before encryption existed.
 */
@Component
@EnableConfigurationProperties(FormVault.Keys.class)
public class FormVault {

	private static final String PREFIX = "enc:";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	/**
	 * @param keys key id → base64 of 32 random bytes ({@code openssl rand -base64 32})
	 * @param active the key id new forms are encrypted with
	 */
	@ConfigurationProperties("mpp.application.form-encryption")
	public record Keys(Map<String, String> keys, String active) {
	}

	private final SecureRandom random = new SecureRandom();

	private final Map<String, SecretKey> keys;

	private final String active;

	public FormVault(Keys configured) {
		if (configured.keys() == null || configured.active() == null || !configured.keys().containsKey(configured.active())) {
			throw new IllegalStateException("mpp.application.form-encryption needs keys and an active key id among them "
					+ "(MPP_FORM_KEY: openssl rand -base64 32)");
		}
		this.keys = configured.keys().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> {
			if (entry.getValue() == null || entry.getValue().isBlank()) {
				throw new IllegalStateException("form-encryption key " + entry.getKey()
						+ " is empty: set MPP_FORM_KEY (openssl rand -base64 32)");
			}
			byte[] bytes = Base64.getDecoder().decode(entry.getValue().trim());
			if (bytes.length != 32) {
				throw new IllegalStateException("form-encryption key " + entry.getKey() + " must be 32 bytes, base64");
			}
			return new SecretKeySpec(bytes, "AES");
		}));
		this.active = configured.active();
	}

	/** The form as stored for this application. */
	public String seal(String applicationId, String form) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] sealed = crypt(Cipher.ENCRYPT_MODE, this.keys.get(this.active), nonce, applicationId,
				form.getBytes(StandardCharsets.UTF_8));
		byte[] stored = new byte[NONCE_BYTES + sealed.length];
		System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
		System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
		return PREFIX + this.active + ":" + Base64.getEncoder().encodeToString(stored);
	}

	/** The form as submitted; fails if the stored value was altered or belongs to another application. */
	public String open(String applicationId, String stored) {
		if (!stored.startsWith(PREFIX)) {
			return stored;
		}
		int colon = stored.indexOf(':', PREFIX.length());
		SecretKey key = this.keys.get(stored.substring(PREFIX.length(), colon));
		if (key == null) {
			throw new IllegalStateException("No form-encryption key '" + stored.substring(PREFIX.length(), colon)
					+ "' is configured: it is needed to read application " + applicationId);
		}
		byte[] bytes = Base64.getDecoder().decode(stored.substring(colon + 1));
		byte[] nonce = new byte[NONCE_BYTES];
		System.arraycopy(bytes, 0, nonce, 0, NONCE_BYTES);
		byte[] sealed = new byte[bytes.length - NONCE_BYTES];
		System.arraycopy(bytes, NONCE_BYTES, sealed, 0, sealed.length);
		return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, applicationId, sealed), StandardCharsets.UTF_8);
	}

	/**
	 * A keyed fingerprint of a form (HMAC-SHA-256 under a key derived from the active one): tells two
	 * submissions apart without storing anything a NIK could be guessed back from.
	 */
	public String fingerprint(String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.keys.get(this.active));
			byte[] derived = mac.doFinal("mpp-form-fingerprint".getBytes(StandardCharsets.UTF_8));
			mac.init(new SecretKeySpec(derived, "HmacSHA256"));
			return this.active + ":" + Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String applicationId, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(applicationId.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The form of application " + applicationId + " cannot be "
					+ (mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted (altered, or another application's)"), ex);
		}
	}

}
