package id.mppdigital.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
import org.springframework.kafka.support.SendResult;

/**
 * A transactional outbox on a document store without multi-document transactions: the document that
 * changed carries "event not yet sent" in the same write, and this sends every such event to Kafka,
 * oldest first, marking each sent only once Kafka acknowledged it. A crash between the two leaves the
 * mark unset, so the event goes again (at least once; the event id lets consumers drop repeats) —
 * never lost. One sweep at a time ({@link SerialJob}).
 * <p>
 * The store is not searched for every change: the embedded store (and any store without an index on
 * the mark) can only find the marks by reading every document, which at thousands of documents and
 * tens of changes a second is what would bound the platform. So a service hands the document it has
 * just written to {@link #trigger(Object)}, and the event goes out from memory at once; the store is
 * searched ({@link #trigger()}, the "pending" query) only when memory cannot be trusted to hold every
 * waiting event — after a start (what a crash left behind), after a failed send (Kafka down), when too
 * many events wait in memory, and once every {@linkplain #rescanEvery rescan interval} (what another
 * instance left behind). Events are handed to the producer in order and their acknowledgements awaited
 * together, up to {@value #IN_FLIGHT} at once.
 * <p>
 * Operators see {@code mpp.outbox.pending{topic}} (how many events wait) and
 * {@code mpp.outbox.oldest.age{topic}} (how long the oldest has waited). While the store is searched
 * they are counted from it by a job of their own on every trigger and schedule — not by the sweep,
 * which can be stuck on its first event for as long as Kafka is down while citizens keep adding to the
 * backlog; otherwise they count the events waiting in memory.
 *
 * @param <T> the documents that carry the outbox mark
 */
public final class Outbox<T> {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	/** Events handed to the producer whose acknowledgement is awaited at once, at most. */
	static final int IN_FLIGHT = 64;

	/** Events kept in memory at most; beyond, the store is searched instead. */
	static final int MOST_IN_MEMORY = 10_000;

	private final String topic;

	private final KafkaTemplate<String, String> kafka;

	private final Supplier<Flux<T>> pending;

	private final Function<T, OutboxEvent> event;

	private final Function<T, Instant> waitingSince;

	private final Function<T, Mono<?>> markSent;

	private final Clock clock;

	/** The backlog counted in the store (while it is searched). */
	private final AtomicLong waiting = new AtomicLong();

	private final AtomicReference<Instant> oldest = new AtomicReference<>();

	/** Written documents whose event has not been handed to Kafka yet, in the order they were written. */
	private final Queue<Written<T>> written = new ConcurrentLinkedQueue<>();

	private final AtomicLong inMemory = new AtomicLong();

	/** Events from memory not acknowledged yet: event id → since when they wait. */
	private final Map<String, Instant> unacknowledged = new ConcurrentHashMap<>();

	/** Events the last search of the store sent: their document may still wait in memory. */
	private final Set<String> sentBySearch = ConcurrentHashMap.newKeySet();

	/** Searches asked for, and the request the last successful search answered. */
	private final AtomicLong searchesAsked = new AtomicLong(1);

	private volatile long searchedUpTo;

	private volatile Instant lastSearch = Instant.EPOCH;

	private volatile Duration rescan = Duration.ofMinutes(1);

	private final SerialJob sweep;

	private final SerialJob count;

	private record Written<T>(T document, OutboxEvent event) {
	}

	private record Sending<T>(T document, OutboxEvent event, CompletableFuture<SendResult<String, String>> acknowledged) {
	}

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
		Gauge.builder("mpp.outbox.pending", this, Outbox::pendingCount)
			.description("Events waiting in the outbox for Kafka to acknowledge them")
			.tag("topic", topic)
			.register(meters);
		Gauge.builder("mpp.outbox.oldest.age", this, Outbox::oldestAgeSeconds)
			.description("How long the oldest event in the outbox has waited for Kafka (0 when none waits)")
			.baseUnit("seconds")
			.tag("topic", topic)
			.register(meters);
	}

	/** How often the store is searched even when nothing failed (for what another instance left). */
	public Outbox<T> rescanEvery(Duration every) {
		this.rescan = every;
		return this;
	}

	/**
	 * After a document was written with its mark: its event goes out at once, in the background (the
	 * caller's answer does not wait for Kafka), without searching the store.
	 */
	public void trigger(T document) {
		if (this.inMemory.get() >= MOST_IN_MEMORY) {
			trigger();
			return;
		}
		OutboxEvent sent = this.event.apply(document);
		this.unacknowledged.put(sent.id(), this.waitingSince.apply(document));
		this.inMemory.incrementAndGet();
		this.written.add(new Written<>(document, sent));
		this.sweep.trigger();
	}

	/** Searches the store for everything that waits and sends it, in the background. */
	public void trigger() {
		this.searchesAsked.incrementAndGet();
		this.count.trigger();
		this.sweep.trigger();
	}

	/**
	 * For a schedule: sends what waits, searching the store if it is due; completes when this sweep
	 * (or the one under way) is done.
	 */
	public Mono<Void> sweep() {
		return Mono.defer(() -> {
			if (!this.lastSearch.plus(this.rescan).isAfter(this.clock.instant())) {
				this.searchesAsked.incrementAndGet();
			}
			return Mono.when(searching() ? this.count.run() : Mono.empty(), this.sweep.run());
		});
	}

	private boolean searching() {
		return this.searchesAsked.get() > this.searchedUpTo;
	}

	private double pendingCount() {
		return searching() ? this.waiting.get() : this.unacknowledged.size();
	}

	private double oldestAgeSeconds() {
		Instant since = searching() ? this.oldest.get()
				: this.unacknowledged.values().stream().min(Instant::compareTo).orElse(null);
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
		return (searching() ? search() : Mono.<Void>empty()).then(Mono.defer(() -> searching() ? Mono.empty() : fromMemory()));
	}

	/** Everything the store holds unsent, oldest first; memory is trusted again only if all went. */
	private Mono<Void> search() {
		long asked = this.searchesAsked.get();
		Instant started = this.clock.instant();
		this.sentBySearch.clear();
		AtomicBoolean failed = new AtomicBoolean();
		return send(this.pending.get().map(document -> new Written<>(document, null)), failed, sent -> this.sentBySearch.add(sent.id()))
			.then(Mono.defer(() -> {
				if (failed.get()) {
					// what was sent no longer waits: count again, so the gauges fall as the backlog drains
					return countPending();
				}
				this.lastSearch = started;
				this.searchedUpTo = asked;
				return Mono.empty();
			}));
	}

	/** The events of documents written since, in order; a failure hands them back to the store's search. */
	private Mono<Void> fromMemory() {
		List<Written<T>> batch = new ArrayList<>();
		for (Written<T> next = this.written.poll(); next != null && batch.size() < MOST_IN_MEMORY; next = this.written.poll()) {
			this.inMemory.decrementAndGet();
			if (this.sentBySearch.remove(next.event().id())) {
				this.unacknowledged.remove(next.event().id());
			}
			else {
				batch.add(next);
			}
		}
		if (batch.isEmpty()) {
			return Mono.empty();
		}
		AtomicBoolean failed = new AtomicBoolean();
		return send(Flux.fromIterable(batch), failed, sent -> this.unacknowledged.remove(sent.id()))
			.then(Mono.fromRunnable(() -> {
				if (failed.get()) {
					// the store holds every one of them still marked: search it from now on
					this.searchesAsked.incrementAndGet();
					for (Written<T> next = this.written.poll(); next != null; next = this.written.poll()) {
						this.inMemory.decrementAndGet();
					}
					this.unacknowledged.clear();
					this.count.trigger();
				}
			}));
	}

	/**
	 * Hands the events to the producer one after the other (so that Kafka keeps their order per key),
	 * awaits their acknowledgements together and marks each document sent once Kafka has its event.
	 * After the first failure nothing more is handed over.
	 */
	private Mono<Void> send(Flux<Written<T>> documents, AtomicBoolean failed, Consumer<OutboxEvent> sent) {
		return documents.concatMap(written -> failed.get() ? Mono.<Sending<T>>empty() : Mono.fromCallable(() -> {
			OutboxEvent event = (written.event() != null) ? written.event() : this.event.apply(written.document());
			// send() may block while it fetches metadata (broker down): never on an event-loop thread
			return new Sending<>(written.document(), event, this.kafka.send(event.record()));
		}).subscribeOn(Schedulers.boundedElastic()).onErrorResume(failure -> {
			failed.set(true);
			log.warn("{} not sent; the outbox tries again: {}", this.topic, failure.toString());
			return Mono.empty();
		})).flatMap(sending -> Mono.fromFuture(sending.acknowledged())
			.then(Mono.defer(() -> this.markSent.apply(sending.document())))
			.doOnSuccess(done -> {
				sent.accept(sending.event());
				log.debug("Sent {} {}", this.topic, sending.event().id());
			})
			.then()
			.onErrorResume(failure -> {
				failed.set(true);
				log.warn("{} {} not acknowledged; the outbox tries again: {}", this.topic, sending.event().id(),
						failure.toString());
				return Mono.empty();
			}), IN_FLIGHT).then();
	}

}
