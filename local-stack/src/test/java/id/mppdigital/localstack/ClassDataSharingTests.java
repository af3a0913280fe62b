package id.mppdigital.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The CDS archive of a module is kept across rebuilds of the same content, and never blocks a start. */
class ClassDataSharingTests {

	@TempDir
	Path dir;

	private Path jar(String name, String content, long time) throws IOException {
		Path jar = this.dir.resolve(name);
		try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
			ZipEntry entry = new ZipEntry("BOOT-INF/classes/App.class");
			entry.setLastModifiedTime(FileTime.fromMillis(time));
			zip.putNextEntry(entry);
			zip.write(content.getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
		}
		return jar;
	}

	@Test
	void aRebuildOfTheSameContentKeepsItsKeyAndAChangeGetsANewOne() throws IOException {
		String key = ClassDataSharing.contentKey(jar("a.jar", "code v1", 1_000_000L));

		assertThat(ClassDataSharing.contentKey(jar("b.jar", "code v1", 9_000_000L))).isEqualTo(key);
		assertThat(ClassDataSharing.contentKey(jar("c.jar", "code v2", 1_000_000L))).isNotEqualTo(key);
	}

	@Test
	void java17RecordsADynamicArchiveAndJava25AnAheadOfTimeCacheThenMapsIt() throws IOException {
		String jsa = "app-" + ClassDataSharing.runtime() + ".jsa";
		String aot = "app-" + ClassDataSharing.runtime() + ".aot";

		assertThat(ClassDataSharing.flags(this.dir, 17)).contains("-Xshare:auto",
				"-XX:ArchiveClassesAtExit=" + this.dir.resolve(jsa));
		assertThat(ClassDataSharing.flags(this.dir, 25)).contains("-XX:AOTCacheOutput=" + this.dir.resolve(aot))
			// the JVM refuses AOTCache beside any -Xshare option
			.noneMatch(flag -> flag.startsWith("-Xshare"));

		byte[] archive = new byte[(int) ClassDataSharing.SMALLEST_ARCHIVE];
		Files.write(this.dir.resolve(jsa), archive);
		Files.write(this.dir.resolve(aot), archive);
		assertThat(ClassDataSharing.flags(this.dir, 17)).contains("-XX:SharedArchiveFile=" + this.dir.resolve(jsa));
		assertThat(ClassDataSharing.flags(this.dir, 25)).contains("-XX:AOTCache=" + this.dir.resolve(aot));
	}

	@Test
	void anArchiveWhoseWritingWasCutShortIsRecordedAgain() throws IOException {
		// a JVM killed while writing its archive leaves an empty or truncated file the next JVM cannot map
		Path jsa = this.dir.resolve("app-" + ClassDataSharing.runtime() + ".jsa");
		Files.write(jsa, new byte[4096]);

		assertThat(ClassDataSharing.flags(this.dir, 17)).contains("-XX:ArchiveClassesAtExit=" + jsa);
		assertThat(jsa).doesNotExist();
	}

	@Test
	void aJarThatCannotBeExtractedStartsAsItIs() throws IOException {
		Path jar = jar("not-a-boot-app.jar", "code", 0L);

		ClassDataSharing.Launch launch = ClassDataSharing.prepare("broken", jar, this.dir.resolve("cds"));

		assertThat(launch.jar()).isEqualTo(jar);
		assertThat(launch.flags()).isEmpty();
		// and leaves nothing half-extracted behind
		assertThat(this.dir.resolve("cds")).isEmptyDirectory();
	}

}
