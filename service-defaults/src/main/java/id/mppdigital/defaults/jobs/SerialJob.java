package id.mppdigital.defaults.jobs;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Background work that must never overlap with itself (refreshing an in-memory view, draining an
 * outbox, recounting a gauge) and is asked for from several places: after a change, on an event, on a
 * schedule. A request while it runs makes it run once more afterwards, so no request is lost and
 * bursts fold into one extra run; the request's {@link #run()} completes when that extra run is done,
 * so whoever asked sees the work done after their request. Failures are logged, not thrown: the next
 * request retries.
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

	/** Requests that came during the current run; they complete with the run after it. Guarded by this. */
	private Sinks.Empty<Void> again;

	public SerialJob(String name, Supplier<Mono<Void>> work) {
		this.name = name;
		this.work = work;
	}

	/** Runs when subscribed; if a run is under way, completes once the run after it is done. */
	public Mono<Void> run() {
		return Mono.defer(() -> {
			if (this.running.compareAndSet(false, true)) {
				return execute().doOnCancel(() -> this.running.set(false));
			}
			synchronized (this) {
				if (this.running.get()) {
					if (this.again == null) {
						this.again = Sinks.empty();
					}
					return this.again.asMono();
				}
			}
			// the run ended between the two checks: start one now
			return run();
		});
	}

	/** Runs in the background, without waiting for it. */
	public void trigger() {
		run().subscribe();
	}

	private Mono<Void> execute() {
		return Mono.defer(this.work)
			.onErrorResume(ex -> {
				log.warn("{} failed; it runs again on the next request or schedule: {}", this.name, ex.toString());
				return Mono.empty();
			})
			.then(Mono.defer(this::afterRun));
	}

	private Mono<Void> afterRun() {
		Sinks.Empty<Void> waiting;
		synchronized (this) {
			waiting = this.again;
			this.again = null;
			if (waiting == null) {
				this.running.set(false);
				return Mono.empty();
			}
		}
		// once more for the requests that came meanwhile; they are done when it is
		return execute().doFinally(signal -> waiting.tryEmitEmpty());
	}

}
