package id.mppdigital.defaults;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import id.mppdigital.defaults.jobs.SerialJob;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Background work never overlaps; a request during a run gets a run after it (requests fold into
 * one), and completes only once that run has seen its request.
 */
class SerialJobTests {

	@Test
	void aRequestDuringARunCompletesAfterARunThatStartedLater() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		AtomicInteger concurrent = new AtomicInteger();
		AtomicInteger maxConcurrent = new AtomicInteger();
		CountDownLatch firstStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		SerialJob job = new SerialJob("test job", () -> Mono.fromRunnable(() -> {
			maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
			if (runs.incrementAndGet() == 1) {
				firstStarted.countDown();
				await(release);
			}
			concurrent.decrementAndGet();
		}).subscribeOn(Schedulers.boundedElastic()).then());

		job.trigger();
		assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
		// three requests while the first run is stuck: they fold into one more run
		Mono<Void> a = job.run().cache();
		Mono<Void> b = job.run().cache();
		job.trigger();
		a.subscribe();
		b.subscribe();
		release.countDown();
		a.block(Duration.ofSeconds(5));
		b.block(Duration.ofSeconds(5));
		assertThat(runs.get()).isEqualTo(2);
		assertThat(maxConcurrent.get()).isEqualTo(1);

		// idle again: a request runs at once
		job.run().block(Duration.ofSeconds(5));
		assertThat(runs.get()).isEqualTo(3);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
