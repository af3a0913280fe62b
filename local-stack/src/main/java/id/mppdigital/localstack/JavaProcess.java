package id.mppdigital.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the local stack, with its output in its own log file. Stopped by PID: SIGTERM
 * first (Spring and Kafka shut down gracefully on it), then SIGKILL after a grace period.
 */
public final class JavaProcess implements AutoCloseable {

	static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);

	private final String name;

	private final Process process;

	private final Path log;

	/** How long a stop may take before SIGKILL. */
	private final Duration grace;

	private JavaProcess(String name, Process process, Path log, Duration grace) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.grace = grace;
	}

	/**
	 * Starts {@code mainClass} from this JVM's own class path: from the local-stack jar through
	 * Spring Boot's PropertiesLauncher ({@code -Dloader.main}), or from the plain class path in tests.
	 */
	public static JavaProcess startMain(String name, String mainClass, List<String> jvmFlags, List<String> args,
			Map<String, String> env, Path log) {
		List<String> command = new ArrayList<>(jvmFlags);
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(java.io.File.pathSeparator) && classPath.endsWith(".jar")) {
			command.add("-Dloader.main=" + mainClass);
			command.add("-jar");
			command.add(classPath);
		}
		else {
			command.add("-cp");
			command.add(classPath);
			command.add(mainClass);
		}
		command.addAll(args);
		return start(name, command, env, log, DEFAULT_GRACE);
	}

	/**
	 * Starts an executable jar, such as a service's Spring Boot jar; a stop may take {@code grace}
	 * before the process is killed (longer while it writes a class-data archive on its way out).
	 */
	public static JavaProcess startJar(String name, Path jar, List<String> jvmFlags, List<String> args,
			Map<String, String> env, Path log, Duration grace) {
		List<String> command = new ArrayList<>(jvmFlags);
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(args);
		return start(name, command, env, log, grace);
	}

	private static JavaProcess start(String name, List<String> javaArgs, Map<String, String> env, Path log,
			Duration grace) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(javaArgs);
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
			builder.environment().putAll(env);
			return new JavaProcess(name, builder.start(), log, grace);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + name + ": " + command, ex);
		}
	}

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public Path log() {
		return this.log;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The exit code once it has exited, {@code "?"} while it runs. */
	String exitCode() {
		return this.process.isAlive() ? "?" : Integer.toString(this.process.exitValue());
	}

	/** Waits for a short-lived process (such as a tool run) and returns its exit code. */
	public int waitFor(long seconds) {
		try {
			if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
				close();
				throw new IllegalStateException(this.name + " did not finish within " + seconds + " s; see " + this.log);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Resident memory in bytes, from {@code /proc} (Linux); -1 where that cannot be read. */
	public long residentBytes() {
		return Resident.bytes(pid());
	}

	/** Kills the process at once (SIGKILL), as a crash would: no shutdown hooks, no deregistration. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Asks the process to stop (SIGTERM); {@link #close()} waits for it. */
	public void requestStop() {
		this.process.destroy();
	}

	/** Stops the process: SIGTERM, its grace period (20 s unless started with another), then SIGKILL. */
	@Override
	public void close() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(this.grace.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	static final class Resident {

		private Resident() {
		}

		static long bytes(long pid) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
					if (line.startsWith("VmRSS:")) {
						return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// not Linux, or the process is gone
			}
			return -1;
		}

	}

}
