package id.mppdigital.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA keys that sign access and ID tokens, one JWK file ({@code <kid>.json}) per key in a folder.
 * Every key in the folder is published in the JWK set; exactly one signs. That is what a roll-over
 * needs: add the new key (published, not yet signing) and wait for resource servers to refresh their
 * JWK set cache; make it the active one; remove the old key once the last token it signed has expired.
 * An empty folder gets a fresh key, so a first start needs nothing.
 */
public final class SigningKeys {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	private final JWKSet all;

	private final RSAKey active;

	private SigningKeys(List<RSAKey> keys, RSAKey active) {
		this.all = new JWKSet(List.copyOf(keys));
		this.active = active;
	}

	public static SigningKeys load(IdentityProperties.Keys settings) {
		try {
			Files.createDirectories(settings.dir());
			List<Path> files = keyFiles(settings.dir());
			if (files.isEmpty()) {
				files = List.of(write(settings.dir(), generate()));
			}
			List<RSAKey> keys = new ArrayList<>();
			for (Path file : files) {
				keys.add(JWK.parse(Files.readString(file)).toRSAKey());
			}
			RSAKey active = settings.active().isBlank() ? keys.get(keys.size() - 1)
					: keys.stream()
						.filter(key -> key.getKeyID().equals(settings.active()))
						.findFirst()
						.orElseThrow(() -> new IllegalStateException("mpp.identity.keys.active=" + settings.active()
								+ " is not among the keys in " + settings.dir().toAbsolutePath()));
			log.info("Signing with key {}; publishing {} key(s) from {}", active.getKeyID(), keys.size(),
					settings.dir().toAbsolutePath());
			return new SigningKeys(keys, active);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Unreadable JWK in " + settings.dir().toAbsolutePath(), ex);
		}
	}

	/** A new 2048-bit RSA signing key whose id sorts after every earlier one. */
	public static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyID("k" + Instant.now().toEpochMilli())
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes a key readable by its owner only. */
	public static Path write(Path dir, RSAKey key) throws IOException {
		Path file = dir.resolve(key.getKeyID() + ".json");
		Files.writeString(file, key.toJSONString());
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: the folder's own protection applies
		}
		return file;
	}

	/** Key files in name order: generated ids are timestamps, so the newest comes last. */
	private static List<Path> keyFiles(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(file -> file.getFileName().toString().endsWith(".json"))
				.sorted(Comparator.comparing(file -> file.getFileName().toString()))
				.toList();
		}
	}

	/** Every key, private parts included: what the token encoder selects from. */
	public JWKSet all() {
		return this.all;
	}

	public RSAKey active() {
		return this.active;
	}

}
