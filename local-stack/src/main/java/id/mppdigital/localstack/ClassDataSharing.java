package id.mppdigital.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Application class-data sharing (AppCDS) for the service JVMs: eight Spring Boot JVMs starting at
 * once on two cores spend much of their start-up loading and verifying the same classes; an archive
 * of them halves a service's start-up CPU.
 * <p>
 * Per module and jar content (entry names and CRCs, so a rebuild of unchanged code keeps its
 * archive), the jar is extracted once ({@code -Djarmode=tools extract}) under
 * {@code target/cds/}; the first run of that content records the archive when the JVM exits
 * ({@code -XX:ArchiveClassesAtExit}, on Java 25 and later the AOT cache, {@code -XX:AOTCacheOutput}),
 * every later run maps it ({@code -XX:SharedArchiveFile}, {@code -XX:AOTCache}). A
 * missing, stale or unreadable archive only costs speed: the JVM then starts without it.
 * {@code MPP_CDS=off} turns it off.
 */
final class ClassDataSharing {

	/**
	 * How to start a module: which jar, the extra JVM flags, and whether this run records the archive
	 * when it exits (it then needs time to write it: a JVM killed while writing leaves none).
	 */
	record Launch(Path jar, List<String> flags, boolean records) {

		Launch(Path jar) {
			this(jar, List.of(), false);
		}

	}

	/** Less than this is an archive whose writing was cut short; it is recorded again. */
	static final long SMALLEST_ARCHIVE = 1024 * 1024;

	private ClassDataSharing() {
	}

	static Launch prepare(String module, Path jar, Path cacheRoot) {
		if ("off".equalsIgnoreCase(System.getenv("MPP_CDS"))) {
			return new Launch(jar);
		}
		try {
			Path dir = cacheRoot.resolve(module + "-" + contentKey(jar));
			Path extracted = dir.resolve(module + ".jar");
			if (!Files.exists(extracted)) {
				forgetOlder(cacheRoot, module);
				extract(jar, dir);
			}
			List<String> flags = flags(dir, Runtime.version().feature());
			return new Launch(extracted, flags, flags.stream().anyMatch(flag -> flag.contains("AtExit") || flag.contains("Output=")));
		}
		catch (IOException | RuntimeException ex) {
			// never a reason not to start
			return new Launch(jar);
		}
	}

	/**
	 * An archive belongs to the JVM that wrote it: one per runtime (Java 17 and 25 side by side). From
	 * Java 25 on, the ahead-of-time cache (JEP 483/514) also keeps classes linked and loaded: a
	 * gateway alone started in 5.3 s with it, 6.2 s with a dynamic CDS archive, 9.4 s with neither.
	 */
	static List<String> flags(Path dir, int feature) throws IOException {
		List<String> flags = new ArrayList<>(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
		if (feature >= 25) {
			// (AOTMode defaults to auto: an unusable cache is ignored, like -Xshare:auto below)
			Path cache = usable(dir.resolve("app-" + runtime() + ".aot"));
			flags.add("-Xlog:aot=off");
			flags.add(Files.exists(cache) ? "-XX:AOTCache=" + cache : "-XX:AOTCacheOutput=" + cache);
		}
		else {
			Path archive = usable(dir.resolve("app-" + runtime() + ".jsa"));
			flags.add("-Xshare:auto");
			flags.add(Files.exists(archive) ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + archive);
		}
		return flags;
	}

	/** The archive's path; a truncated one (its JVM was killed while writing it) is removed first. */
	private static Path usable(Path archive) throws IOException {
		if (Files.exists(archive) && Files.size(archive) < SMALLEST_ARCHIVE) {
			Files.delete(archive);
		}
		return archive;
	}

	/** This JVM's exact version, as a file name part ({@code 25.0.3+9-LTS} → {@code 25.0.3_9-LTS}). */
	static String runtime() {
		return System.getProperty("java.vm.version").replaceAll("[^A-Za-z0-9.-]", "_");
	}

	/** A digest of what is in the jar (names, CRCs, sizes), not of when it was built. */
	static String contentKey(Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			zip.stream().sorted(Comparator.comparing(ZipEntry::getName)).forEach(entry -> digest
				.update((entry.getName() + ':' + entry.getCrc() + ':' + entry.getSize() + '\n').getBytes(StandardCharsets.UTF_8)));
			return HexFormat.of().formatHex(digest.digest(), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void extract(Path jar, Path dir) throws IOException {
		Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
		delete(partial);
		Files.createDirectories(partial.getParent());
		Process extraction = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", partial.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			if (!extraction.waitFor(120, TimeUnit.SECONDS) || extraction.exitValue() != 0) {
				extraction.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				delete(partial);
				throw new IOException("extracting " + jar + " failed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
	}

	/** Archives of earlier builds of the module are never used again. */
	private static void forgetOlder(Path cacheRoot, String module) throws IOException {
		if (!Files.isDirectory(cacheRoot)) {
			return;
		}
		try (Stream<Path> entries = Files.list(cacheRoot)) {
			for (Path older : entries.filter(path -> path.getFileName().toString().startsWith(module + "-")).toList()) {
				delete(older);
			}
		}
	}

	private static void delete(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> tree = Files.walk(path)) {
			for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

}
