package id.mppdigital.application.privacy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forms at rest: unreadable without the key, bound to their application, readable across a key roll-over. */
class FormVaultTests {

	static final String K1 = "dGVzdHMtb25seS1mb3JtLWtleS0zMi1ieXRlcy0hISE=";

	static final String K2 = "YW5vdGhlci10ZXN0LWtleS1vZi0zMi1ieXRlcy0hISE=";

	static final String FORM = "{\"nik\":\"3574010101900001\",\"nama\":\"Siti Aminah\"}";

	@Test
	void aSealedFormShowsNothingAndOpensOnlyForItsApplication() {
		FormVault vault = new FormVault(new FormVault.Keys(Map.of("k1", K1), "k1"));
		String sealed = vault.seal("PMH-261128-AAAAAAAA", FORM);

		assertThat(sealed).startsWith("enc:k1:").doesNotContain("3574010101900001").doesNotContain("Siti");
		assertThat(vault.seal("PMH-261128-AAAAAAAA", FORM)).isNotEqualTo(sealed);
		assertThat(vault.open("PMH-261128-AAAAAAAA", sealed)).isEqualTo(FORM);
		// copied onto another application, or altered by one character: refused, not misread
		assertThatThrownBy(() -> vault.open("PMH-261128-BBBBBBBB", sealed)).isInstanceOf(IllegalStateException.class);
		char last = sealed.charAt(sealed.length() - 3);
		String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
		assertThatThrownBy(() -> vault.open("PMH-261128-AAAAAAAA", altered)).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void formsSealedUnderAnOldKeyStayReadableAfterARollOver() {
		String old = new FormVault(new FormVault.Keys(Map.of("k1", K1), "k1")).seal("PMH-1", FORM);
		FormVault rolled = new FormVault(new FormVault.Keys(Map.of("k1", K1, "k2", K2), "k2"));

		assertThat(rolled.open("PMH-1", old)).isEqualTo(FORM);
		assertThat(rolled.seal("PMH-1", FORM)).startsWith("enc:k2:");
		// without the old key the old form cannot be read, and it says which key is missing
		assertThatThrownBy(() -> new FormVault(new FormVault.Keys(Map.of("k2", K2), "k2")).open("PMH-1", old))
			.hasMessageContaining("'k1'");
	}

	@Test
	void fingerprintsAreKeyedSoANikCannotBeGuessedFromThem() {
		FormVault vault = new FormVault(new FormVault.Keys(Map.of("k1", K1), "k1"));
		FormVault other = new FormVault(new FormVault.Keys(Map.of("k1", K2), "k1"));

		assertThat(vault.fingerprint(FORM)).isEqualTo(vault.fingerprint(FORM)).isNotEqualTo(other.fingerprint(FORM));
		assertThat(vault.fingerprint(FORM)).isNotEqualTo(vault.fingerprint(FORM.replace("0001", "0002")));
	}

	@Test
	void aMissingOrShortKeyStopsTheServiceFromStarting() {
		assertThatThrownBy(() -> new FormVault(new FormVault.Keys(Map.of("k1", ""), "k1")))
			.hasMessageContaining("MPP_FORM_KEY");
		assertThatThrownBy(() -> new FormVault(new FormVault.Keys(Map.of("k1", "c2hvcnQ="), "k1")))
			.hasMessageContaining("32 bytes");
		assertThatThrownBy(() -> new FormVault(new FormVault.Keys(Map.of("k1", K1), "k9")))
			.hasMessageContaining("active");
	}

}
