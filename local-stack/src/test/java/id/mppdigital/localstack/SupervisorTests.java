package id.mppdigital.localstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The launcher watches what it started: a process killed with {@code kill -9} is named, with its log,
 * and started again; one that keeps dying stops everything. And it fails plainly when another stack
 * holds its ports: it names them and the way out, and exits non-zero instead of hanging.
 */
class SupervisorTests {

	@TempDir
	Path dir;

	final ByteArrayOutputStream said = new ByteArrayOutputStream();

	final PrintStream out = new PrintStream(this.said, true, StandardCharsets.UTF_8);

	private JavaProcess sleeper(String... args) {
		return JavaProcess.startMain("sleeper", Sleeper.class.getName(), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"),
				List.of(args), Map.of(), this.dir.resolve("sleeper.log"));
	}

	@Test
	void aKilledProcessIsNamedWithItsLogAndStartedAgain() throws Exception {
		JavaProcess first = sleeper();
		waitForLog("sleeper started");
		CountDownLatch restarted = new CountDownLatch(1);
		try (Supervisor supervisor = new Supervisor(Duration.ofMillis(200), 3, Duration.ofMinutes(1),
				() -> { throw new AssertionError("must not give up"); }, this.out)) {
			supervisor.watch(first, this::sleeper, process -> restarted.countDown());
			first.kill();
			try {
				assertThat(restarted.await(20, TimeUnit.SECONDS)).isTrue();
				JavaProcess second = supervisor.current("sleeper");
				assertThat(second.pid()).isNotEqualTo(first.pid());
				assertThat(second.isAlive()).isTrue();
				String told = this.said.toString(StandardCharsets.UTF_8);
				assertThat(told).contains("sleeper (pid " + first.pid() + ") exited with code 137")
					.contains(this.dir.resolve("sleeper.log.previous").toAbsolutePath().toString())
					.contains("sleeper started")
					.contains("sleeper restarted (pid " + second.pid() + ")");
			}
			finally {
				// no sleeper outlives the test, whatever failed
				supervisor.close();
				supervisor.current("sleeper").kill();
			}
		}
	}

	private void waitForLog(String text) throws Exception {
		Path log = this.dir.resolve("sleeper.log");
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!(Files.exists(log) && Files.readString(log).contains(text))) {
			assertThat(System.nanoTime()).as("the child wrote " + text).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	@Test
	void aProcessThatKeepsDyingStopsEverything() throws Exception {
		CountDownLatch gaveUp = new CountDownLatch(1);
		int[] starts = { 1 };
		try (Supervisor supervisor = new Supervisor(Duration.ofMillis(100), 2, Duration.ofMinutes(1), gaveUp::countDown,
				this.out)) {
			supervisor.watch(sleeper("3"), () -> {
				starts[0]++;
				return sleeper("3");
			}, process -> {
			});
			assertThat(gaveUp.await(60, TimeUnit.SECONDS)).isTrue();
		}
		String told = this.said.toString(StandardCharsets.UTF_8);
		assertThat(told).contains("exited with code 3").contains("failing on purpose")
			.contains("sleeper keeps dying (3 times within 60 s): stopping the whole stack.");
		// two restarts (back-off 0.1 s, then 0.2 s), then no more
		assertThat(starts[0]).isEqualTo(3);
	}

	@Test
	void portsHeldByAnotherStackAreNamedWithTheWayOut() throws Exception {
		int offset = 300;
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", 8081 + offset));
			assertThatThrownBy(() -> LocalStack.checkPortsFree(offset, Service.all(offset)))
				.hasMessageContaining((8081 + offset) + " (service-catalog)")
				.hasMessageContaining("--port-offset=");

			// the launcher itself: says so and exits non-zero at once, with nothing left running
			JavaProcess launcher = JavaProcess.startMain("launcher", LocalStack.class.getName(), List.of("-Xmx64m"),
					List.of("--port-offset=" + offset, "--dir=" + this.dir.resolve("stack")), Map.of(),
					this.dir.resolve("launcher.log"));
			assertThat(launcher.waitFor(60)).isEqualTo(2);
			String log = Files.readString(this.dir.resolve("launcher.log"));
			assertThat(log).contains("The local stack cannot start: ports already in use on 127.0.0.1: "
					+ (8081 + offset) + " (service-catalog)").doesNotContain("Exception");
		}
	}

}
