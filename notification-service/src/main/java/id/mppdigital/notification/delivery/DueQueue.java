package id.mppdigital.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The deliveries waiting to be sent, in memory, in two lanes: "you are called" (urgent) before
 * everything else, each lane by when it is due — so that a bulk of ordinary mail never delays a
 * call. A few sender threads take the next due one; the store is searched at the start and every
 * {@code mpp.notification.rescan-interval} for what memory does not hold (a restart, a crash
 * mid-send, another instance's).
 */
@Component
class DueQueue {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DueQueue.class);

	/** A delivery as last written by this instance (or read), due at {@code at}. */
	private record Due(Delivery delivery, Instant at) {
	}

	private static final Comparator<Due> BY_TIME = Comparator.comparing(Due::at);

	private final PriorityQueue<Due> urgent = new PriorityQueue<>(BY_TIME);

	private final PriorityQueue<Due> normal = new PriorityQueue<>(BY_TIME);

	private final Set<String> held = new HashSet<>();

	private final Clock clock;

	private final int senders;

	private final Duration rescan;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean stopped;

	DueQueue(Clock clock, io.micrometer.core.instrument.MeterRegistry meters,
			@Value("${mpp.notification.senders:16}") int senders,
			@Value("${mpp.notification.rescan-interval:60s}") Duration rescan) {
		this.clock = clock;
		this.senders = senders;
		this.rescan = rescan;
		io.micrometer.core.instrument.Gauge.builder("mpp.notification.due", this, queue -> queue.size(queue.urgent))
			.description("Deliveries held in memory to be sent (due now or later), by lane")
			.tag("lane", "urgent")
			.register(meters);
		io.micrometer.core.instrument.Gauge.builder("mpp.notification.due", this, queue -> queue.size(queue.normal))
			.description("Deliveries held in memory to be sent (due now or later), by lane")
			.tag("lane", "normal")
			.register(meters);
	}

	private synchronized int size(PriorityQueue<Due> lane) {
		return lane.size();
	}

	/**
	 * Starts the senders: {@code attempt} sends one (as held here: the store may have moved on, the
	 * claim finds out); {@code open} lists what the store holds.
	 */
	void sendWith(Function<Delivery, Mono<Void>> attempt, Supplier<Flux<Delivery>> open) {
		for (int n = 1; n <= this.senders; n++) {
			Thread sender = new Thread(() -> send(attempt), "delivery-sender-" + n);
			sender.setDaemon(true);
			this.threads.add(sender);
			sender.start();
		}
		Thread searcher = new Thread(() -> search(open), "delivery-rescan");
		searcher.setDaemon(true);
		this.threads.add(searcher);
		searcher.start();
	}

	/** Holds a delivery until it is due (once: a second offer of the same one is dropped). */
	synchronized void offer(Delivery delivery) {
		if (this.held.add(delivery.id())) {
			(delivery.urgent() ? this.urgent : this.normal).add(new Due(delivery, delivery.nextAttemptAt()));
			notifyAll();
		}
	}

	/** The next due delivery, urgent first; waits until one is due. */
	private synchronized Delivery take() throws InterruptedException {
		while (!this.stopped) {
			Instant now = this.clock.instant();
			for (PriorityQueue<Due> lane : List.of(this.urgent, this.normal)) {
				Due first = lane.peek();
				if (first != null && !first.at().isAfter(now)) {
					lane.poll();
					this.held.remove(first.delivery().id());
					return first.delivery();
				}
			}
			wait(Math.max(1, Math.min(1000, untilNext(now))));
		}
		throw new InterruptedException("stopped");
	}

	private long untilNext(Instant now) {
		return List.of(this.urgent, this.normal).stream()
			.map(PriorityQueue::peek)
			.filter(java.util.Objects::nonNull)
			.mapToLong(due -> Duration.between(now, due.at()).toMillis())
			.min()
			.orElse(1000);
	}

	private void send(Function<Delivery, Mono<Void>> attempt) {
		while (!this.stopped) {
			Delivery delivery;
			try {
				delivery = take();
			}
			catch (InterruptedException stop) {
				return;
			}
			try {
				attempt.apply(delivery).block(Duration.ofMinutes(1));
			}
			catch (RuntimeException failure) {
				// the store did not answer: the rescan finds it again
				log.warn("Delivery {} not attempted: {}", delivery.id(), failure.toString());
			}
		}
	}

	private void search(Supplier<Flux<Delivery>> open) {
		while (!this.stopped) {
			try {
				open.get().doOnNext(this::offer).then().block(Duration.ofMinutes(1));
			}
			catch (RuntimeException failure) {
				log.warn("Deliveries not searched: {}", failure.toString());
			}
			try {
				Thread.sleep(this.rescan.toMillis());
			}
			catch (InterruptedException stop) {
				return;
			}
		}
	}

	@PreDestroy
	void stop() {
		this.stopped = true;
		synchronized (this) {
			notifyAll();
		}
		this.threads.forEach(Thread::interrupt);
	}

}
