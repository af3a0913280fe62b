package id.mppdigital.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's passwords, one per principal (Kafka users, registry users): made up once
 * (random, 128 bits), kept with the data ({@code kafka-credentials.properties},
 * {@code registry-credentials.properties}, readable by their owner only) so a restarted stack and
 * what its broker stored agree, and handed to each module in its environment. {@code --fresh} makes
 * new ones.
 */
final class Secrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Secrets() {
	}

	static Map<String, String> load(Path file, Collection<String> principals) {
		Properties stored = new Properties();
		try {
			if (Files.exists(file)) {
				try (Reader reader = Files.newBufferedReader(file)) {
					stored.load(reader);
				}
			}
			boolean added = false;
			for (String principal : principals) {
				if (stored.getProperty(principal) == null) {
					byte[] secret = new byte[16];
					RANDOM.nextBytes(secret);
					stored.setProperty(principal, HexFormat.of().formatHex(secret));
					added = true;
				}
			}
			if (added) {
				Files.createDirectories(file.getParent());
				Files.deleteIfExists(file);
				Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				try (Writer writer = Files.newBufferedWriter(file)) {
					stored.store(writer, "passwords of the local stack's principals, made up on its first start");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot keep the credentials in " + file, ex);
		}
		Map<String, String> passwords = new LinkedHashMap<>();
		principals.forEach(principal -> passwords.put(principal, stored.getProperty(principal)));
		return passwords;
	}

}
