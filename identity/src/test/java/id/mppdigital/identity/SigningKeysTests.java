package id.mppdigital.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key roll-over: every key in the folder is published, exactly one signs. */
class SigningKeysTests {

	@TempDir
	Path dir;

	@Test
	void aFirstStartGeneratesAKeyOnlyItsOwnerCanRead() throws Exception {
		SigningKeys keys = SigningKeys.load(new IdentityProperties.Keys(this.dir, ""));
		assertThat(keys.all().getKeys()).hasSize(1);
		Path file = this.dir.resolve(keys.active().getKeyID() + ".json");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		// and the same key on the next start: tokens stay valid across restarts
		assertThat(SigningKeys.load(new IdentityProperties.Keys(this.dir, "")).active()).isEqualTo(keys.active());
	}

	@Test
	void duringARollOverBothKeysArePublishedAndTheChosenOneSigns() throws Exception {
		RSAKey old = SigningKeys.generate();
		Thread.sleep(2);
		RSAKey next = SigningKeys.generate();
		SigningKeys.write(this.dir, old);
		SigningKeys.write(this.dir, next);
		// step 1: the new key is published while the old one still signs
		SigningKeys publishing = SigningKeys.load(new IdentityProperties.Keys(this.dir, old.getKeyID()));
		assertThat(publishing.all().getKeys()).extracting(key -> key.getKeyID())
			.containsExactly(old.getKeyID(), next.getKeyID());
		assertThat(publishing.active().getKeyID()).isEqualTo(old.getKeyID());
		// step 2: without a choice, the newest key signs
		assertThat(SigningKeys.load(new IdentityProperties.Keys(this.dir, "")).active().getKeyID())
			.isEqualTo(next.getKeyID());
	}

	@Test
	void anActiveKeyThatIsNotThereStopsTheStart() {
		SigningKeys.load(new IdentityProperties.Keys(this.dir, ""));
		assertThatThrownBy(() -> SigningKeys.load(new IdentityProperties.Keys(this.dir, "k-missing")))
			.hasMessageContaining("k-missing");
	}

}
