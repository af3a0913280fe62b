package id.mppdigital.application.privacy;

import java.util.Map;

import id.mppdigital.defaults.privacy.Vault;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Application forms hold a citizen's NIK, name, address and phone: they are stored encrypted by a
 * {@link Vault} (AES-256-GCM, the application id bound in, so a form cannot be moved to another
 * application), with the keys outside the database.
 */
@Component
@EnableConfigurationProperties(FormVault.Keys.class)
public class FormVault {

	/**
	 * @param keys key id → base64 of 32 random bytes ({@code openssl rand -base64 32})
	 * @param active the key id new forms are encrypted with
	 */
	@ConfigurationProperties("mpp.application.form-encryption")
	public record Keys(Map<String, String> keys, String active) {
	}

	private final Vault vault;

	public FormVault(Keys configured) {
		this.vault = new Vault("mpp.application.form-encryption", "MPP_FORM_KEY", configured.keys(), configured.active());
	}

	/** The form as stored for this application. */
	public String seal(String applicationId, String form) {
		return this.vault.seal(applicationId, form);
	}

	/** The form as submitted; fails if the stored value was altered or belongs to another application. */
	public String open(String applicationId, String stored) {
		return this.vault.open(applicationId, stored);
	}

	/** A keyed fingerprint of a form: tells two submissions apart without storing anything a NIK could be guessed back from. */
	public String fingerprint(String text) {
		return this.vault.fingerprint("mpp-form-fingerprint", text);
	}

}
