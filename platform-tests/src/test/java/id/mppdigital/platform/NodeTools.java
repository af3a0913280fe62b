package id.mppdigital.platform;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The npm tools integrators read our documents with (tools/api-lint: the AsyncAPI parser, Redocly's
 * OpenAPI linter), at the versions its lock file pins. They are installed with {@code npm ci} the
 * first time a test needs them (and again when the lock file changes); a machine without Node.js
 * skips those tests and says so, as the Docker tests do. No telemetry, no update checks: nothing
 * leaves the machine but the install from the npm registry.
 */
final class NodeTools {

	static final Path HOME = DeploymentDocumentsTests.ROOT.resolve("tools/api-lint");

	/** What it printed: {@code output} on standard output, {@code errors} on standard error. */
	record Result(int exitCode, String output, String errors) {
	}

	private NodeTools() {
	}

	/** Runs {@code node <script> <arguments>} in tools/api-lint. */
	static Result run(String script, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(executable("node"), script));
		command.addAll(List.of(arguments));
		installed();
		return exec(command, 300);
	}

	/** Runs an installed package's command ({@code node_modules/.bin/<name>}) in tools/api-lint. */
	static Result bin(String name, String... arguments) throws IOException, InterruptedException {
		installed();
		List<String> command = new ArrayList<>(List.of(HOME.resolve("node_modules/.bin").resolve(name).toString()));
		command.addAll(List.of(arguments));
		return exec(command, 300);
	}

	/** {@code npm ci} unless node_modules already holds what the lock file pins. */
	private static synchronized void installed() throws IOException, InterruptedException {
		Path lock = HOME.resolve("package-lock.json");
		Path installedLock = HOME.resolve("node_modules/.package-lock.json");
		if (Files.exists(installedLock)
				&& Files.getLastModifiedTime(installedLock).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
			return;
		}
		Result install = exec(List.of(executable("npm"), "ci", "--no-audit", "--no-fund", "--ignore-scripts"), 600);
		if (install.exitCode() != 0) {
			throw new IllegalStateException("npm ci in tools/api-lint failed:\n" + install.output() + install.errors());
		}
	}

	private static Result exec(List<String> command, int seconds) throws IOException, InterruptedException {
		Path errors = Files.createTempFile("node-tools", ".err");
		ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile()).redirectError(errors.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("REDOCLY_TELEMETRY", "off");
		environment.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
		environment.put("NO_UPDATE_NOTIFIER", "1");
		environment.put("npm_config_update_notifier", "false");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s");
		}
		String printed = Files.readString(errors);
		Files.delete(errors);
		return new Result(process.exitValue(), output, printed);
	}

	/** The program on the PATH; the test is skipped (and says why) where there is none. */
	private static String executable(String name) {
		Optional<Path> found = Optional.ofNullable(System.getenv("PATH"))
			.stream()
			.flatMap(path -> List.of(path.split(File.pathSeparator)).stream())
			.map(directory -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.findFirst();
		Assumptions.assumeTrue(found.isPresent(),
				name + " (Node.js) is not installed here: the published documents are not checked with the npm tools");
		return found.get().toString();
	}

}
