package id.mppdigital.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * A transactional outbox on a document store without multi-document transactions: the document that
 * changed carries "event not yet sent" in the same write, and this sends every such event to Kafka,
 * oldest first, marking each sent only once Kafka acknowledged it. A crash between the two leaves the
 * mark unset, so the event goes again (at least once; the event id lets consumers drop repeats) —
 * never lost. One sweep at a time ({@link SerialJob}); trigger it after a change, and on a schedule
 * for what failed.
 * <p>
 * Operators see {@code mpp_outbox_pending{topic}} (how many events wait) and
 * {@code mpp_outbox_oldest_age_seconds{topic}} (how long the oldest has waited). Both are counted from
 * the store by a job of their own on every trigger and schedule — not by the sweep, which can be stuck
 * on its first event for as long as Kafka is down while citizens keep adding to the backlog.
 *
 * @param <T> the documents that carry the outbox mark
 */
public final class Outbox<T> {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	private final String topic;

	private final KafkaTemplate<String, String> kafka;

	private final Supplier<Flux<T>> pending;

	private final Function<T, OutboxEvent> event;

	private final Function<T, Instant> waitingSince;

	private final Function<T, Mono<?>> markSent;

	private final Clock clock;

	private final AtomicLong waiting = new AtomicLong();

	private final AtomicReference<Instant> oldest = new AtomicReference<>();

	private final SerialJob sweep;

	private final SerialJob count;

	/**
	 * @param pending the documents whose event is not sent yet, oldest first
	 * @param event the event of one of them
	 * @param waitingSince since when its event has been waiting (the change it reports)
	 * @param markSent records on the document that its event was acknowledged
	 */
	public Outbox(String topic, KafkaTemplate<String, String> kafka, MeterRegistry meters, Clock clock,
			Supplier<Flux<T>> pending, Function<T, OutboxEvent> event, Function<T, Instant> waitingSince,
			Function<T, Mono<?>> markSent) {
		this.topic = topic;
		this.kafka = kafka;
		this.clock = clock;
		this.pending = pending;
		this.event = event;
		this.waitingSince = waitingSince;
		this.markSent = markSent;
		this.sweep = new SerialJob(topic + " outbox", this::sendPending);
		this.count = new SerialJob(topic + " outbox count", this::countPending);
		Gauge.builder("mpp.outbox.pending", this.waiting, AtomicLong::get)
			.description("Events waiting in the outbox for Kafka to acknowledge them")
			.tag("topic", topic)
			.register(meters);
		Gauge.builder("mpp.outbox.oldest.age", this, Outbox::oldestAgeSeconds)
			.description("How long the oldest event in the outbox has waited for Kafka (0 when none waits)")
			.baseUnit("seconds")
			.tag("topic", topic)
			.register(meters);
	}

	/** Sends what waits, in the background (after a change: the caller's answer does not wait for Kafka). */
	public void trigger() {
		this.count.trigger();
		this.sweep.trigger();
	}

	/** The same, for a schedule: completes when this sweep (or the one under way) is done. */
	public Mono<Void> sweep() {
		return Mono.when(this.count.run(), this.sweep.run());
	}

	private double oldestAgeSeconds() {
		Instant since = this.oldest.get();
		return (since == null) ? 0 : Math.max(0, Duration.between(since, this.clock.instant()).toMillis() / 1000.0);
	}

	private Mono<Void> countPending() {
		return this.pending.get()
			.map(this.waitingSince)
			.reduce(new Tally(0, null), Tally::add)
			.doOnNext(tally -> {
				this.waiting.set(tally.count());
				this.oldest.set(tally.oldest());
			})
			.then();
	}

	private record Tally(long count, Instant oldest) {

		Tally add(Instant since) {
			return new Tally(this.count + 1, (this.oldest == null || since.isBefore(this.oldest)) ? since : this.oldest);
		}

	}

	private Mono<Void> sendPending() {
		return this.pending.get()
			.concatMap(this::send)
			// what was sent no longer waits: count again, so the gauges fall as the backlog drains
			.then(Mono.defer(this::countPending));
	}

	private Mono<Void> send(T document) {
		OutboxEvent event = this.event.apply(document);
		// send() may block while it fetches metadata (broker down): never on an event-loop thread
		return Mono.fromCallable(() -> this.kafka.send(event.record()))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(Mono::fromFuture)
			.then(Mono.defer(() -> this.markSent.apply(document)))
			.doOnSuccess(done -> log.info("Sent {} {}", this.topic, event.id()))
			.then();
	}

}
