package id.mppdigital.outbox;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

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
 * for what failed. {@code mpp_outbox_pending{topic}} shows what waits.
 *
 * @param <T> the documents that carry the outbox mark
 */
public final class Outbox<T> {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	private final String topic;

	private final KafkaTemplate<String, String> kafka;

	private final Supplier<Flux<T>> pending;

	private final Function<T, OutboxEvent> event;

	private final Function<T, Mono<?>> markSent;

	private final AtomicInteger waiting = new AtomicInteger();

	private final SerialJob sweep;

	/**
	 * @param pending the documents whose event is not sent yet, oldest first
	 * @param event the event of one of them
	 * @param markSent records on the document that its event was acknowledged
	 */
	public Outbox(String topic, KafkaTemplate<String, String> kafka, MeterRegistry meters, Supplier<Flux<T>> pending,
			Function<T, OutboxEvent> event, Function<T, Mono<?>> markSent) {
		this.topic = topic;
		this.kafka = kafka;
		this.pending = pending;
		this.event = event;
		this.markSent = markSent;
		this.sweep = new SerialJob(topic + " outbox", this::sendPending);
		Gauge.builder("mpp.outbox.pending", this.waiting, AtomicInteger::get)
			.description("Events waiting in the outbox for Kafka to acknowledge them")
			.tag("topic", topic)
			.register(meters);
	}

	/** Sends what waits, in the background (after a change: the caller's answer does not wait for Kafka). */
	public void trigger() {
		this.sweep.trigger();
	}

	/** The same, for a schedule: completes when this sweep is done. */
	public Mono<Void> sweep() {
		return this.sweep.run();
	}

	private Mono<Void> sendPending() {
		return this.pending.get()
			.collectList()
			.doOnNext(documents -> this.waiting.set(documents.size()))
			.flatMapIterable(documents -> documents)
			.concatMap(document -> send(document).doOnSuccess(sent -> this.waiting.decrementAndGet()))
			.then();
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
