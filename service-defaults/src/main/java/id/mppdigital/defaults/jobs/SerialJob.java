package id.mppdigital.outbox;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Background work that must never overlap with itself (refreshing an in-memory view, draining an
 * outbox) and is asked for from several places: after a change, on an event, on a schedule. A
 * request while it runs makes it run once more afterwards, so no request is lost and bursts fold
 * into one extra run. Failures are logged, not thrown: the next request retries.
 * <p>
 * {@link #run()} takes the guard when subscribed, not when called — Spring subscribes the Mono a
 * {@code @Scheduled} method returned again on every run, so state taken at assembly would be taken
 * only once (a real double-send of events came from exactly that).
 */
public final class SerialJob {

	private static final Logger log = LoggerFactory.getLogger(SerialJob.class);

	private final String name;

	private final Supplier<Mono<Void>> work;

	private final AtomicBoolean running = new AtomicBoolean();

	private final AtomicBoolean again = new AtomicBoolean();

	public SerialJob(String name, Supplier<Mono<Void>> work) {
		this.name = name;
		this.work = work;
	}

	/** Runs when subscribed; if a run is under way, completes at once and that run repeats. */
	public Mono<Void> run() {
		return Mono.defer(() -> {
			if (!this.running.compareAndSet(false, true)) {
				this.again.set(true);
				return Mono.empty();
			}
			return Mono.defer(this.work).onErrorResume(ex -> {
				log.warn("{} failed; it runs again on the next request or schedule: {}", this.name, ex.toString());
				return Mono.empty();
			}).doFinally(signal -> {
				this.running.set(false);
				if (this.again.getAndSet(false)) {
					trigger();
				}
			});
		});
	}

	/** Runs in the background, without waiting for it. */
	public void trigger() {
		run().subscribe();
	}

}
