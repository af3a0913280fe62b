package id.mppdigital.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Watches the child processes of the local stack. When one dies on its own (a crash, {@code kill -9})
 * it says which, with its exit code and the end of its log, and starts it again after a back-off that
 * doubles with each death; a process that keeps dying ({@code maxDeaths} within {@code window}) stops
 * the whole stack instead of being restarted for ever.
 */
final class Supervisor implements AutoCloseable {

	private static final Duration POLL = Duration.ofMillis(500);

	private final Duration firstBackOff;

	private final int maxDeaths;

	private final Duration window;

	private final Runnable giveUp;

	private final PrintStream out;

	private final Map<String, Watched> watched = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "local-stack-supervisor");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean stopped;

	Supervisor(Duration firstBackOff, int maxDeaths, Duration window, Runnable giveUp, PrintStream out) {
		this.firstBackOff = firstBackOff;
		this.maxDeaths = maxDeaths;
		this.window = window;
		this.giveUp = giveUp;
		this.out = out;
		this.timer.scheduleWithFixedDelay(this::check, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Watches {@code process}; when it dies, {@code restart} starts a new one, handed to {@code restarted}.
	 */
	void watch(JavaProcess process, Supplier<JavaProcess> restart, Consumer<JavaProcess> restarted) {
		this.watched.put(process.name(), new Watched(process, restart, restarted));
	}

	/** The process now running under this name (a restart replaces it). */
	JavaProcess current(String name) {
		return this.watched.get(name).process;
	}

	private void check() {
		if (this.stopped) {
			return;
		}
		for (Watched entry : this.watched.values()) {
			synchronized (entry) {
				if (entry.restarting || entry.process.isAlive()) {
					continue;
				}
				died(entry);
			}
		}
	}

	private void died(Watched entry) {
		JavaProcess dead = entry.process;
		long now = System.nanoTime();
		entry.deaths.addLast(now);
		while (!entry.deaths.isEmpty() && now - entry.deaths.peekFirst() > this.window.toNanos()) {
			entry.deaths.removeFirst();
		}
		// the restart writes a new log: keep this one, it says why it died
		Path kept = keep(dead.log());
		this.out.printf("%n%s (pid %d) exited with code %s; its log: %s%n", dead.name(), dead.pid(), dead.exitCode(),
				kept.toAbsolutePath());
		tail(kept).forEach(line -> this.out.println("    " + line));
		if (entry.deaths.size() > this.maxDeaths) {
			this.out.printf("%s keeps dying (%d times within %d s): stopping the whole stack.%n", dead.name(),
					entry.deaths.size(), this.window.toSeconds());
			this.stopped = true;
			Thread stopper = new Thread(this.giveUp, "local-stack-give-up");
			stopper.start();
			return;
		}
		Duration backOff = this.firstBackOff.multipliedBy(1L << Math.min(entry.deaths.size() - 1, 6));
		this.out.printf("Restarting %s in %.1f s (death %d of at most %d within %d s).%n", dead.name(),
				backOff.toMillis() / 1000.0, entry.deaths.size(), this.maxDeaths, this.window.toSeconds());
		entry.restarting = true;
		this.timer.schedule(() -> restart(entry), backOff.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void restart(Watched entry) {
		synchronized (entry) {
			if (this.stopped) {
				return;
			}
			try {
				entry.process = entry.restart.get();
				this.out.printf("%s restarted (pid %d).%n", entry.process.name(), entry.process.pid());
				entry.restarted.accept(entry.process);
			}
			catch (RuntimeException ex) {
				this.out.printf("%s could not be restarted: %s%n", entry.process.name(), ex.getMessage());
			}
			finally {
				entry.restarting = false;
			}
		}
	}

	private static Path keep(Path log) {
		Path kept = log.resolveSibling(log.getFileName() + ".previous");
		try {
			return Files.move(log, kept, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			return log;
		}
	}

	/** The last lines of a log: usually why it died. */
	private static List<String> tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return lines.subList(Math.max(0, lines.size() - 5), lines.size());
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

	/** Stops watching (before the stack stops its children on purpose). */
	@Override
	public void close() {
		this.stopped = true;
		this.timer.shutdownNow();
	}

	private static final class Watched {

		volatile JavaProcess process;

		final Supplier<JavaProcess> restart;

		final Consumer<JavaProcess> restarted;

		final Deque<Long> deaths = new ArrayDeque<>();

		volatile boolean restarting;

		Watched(JavaProcess process, Supplier<JavaProcess> restart, Consumer<JavaProcess> restarted) {
			this.process = process;
			this.restart = restart;
			this.restarted = restarted;
		}

	}

}
