package id.mppdigital.queue.board;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The live display boards of every MPP, as this instance has read them from {@code mpp.queue.board.v1}
 * ({@link BoardListener}): per MPP, the recent changes in the order Kafka holds them, each named by
 * its offset in the topic's partition — the same on every instance and after any restart, so that a
 * board reconnecting with {@code Last-Event-ID} to this instance or another gets exactly what came
 * after, nothing twice and nothing missing. Every instance reads every change, so a board sees the
 * calls made on any instance.
 * <p>
 * An MPP keeps its changes of the last {@code mpp.queue.board-history} (a day: read again from Kafka
 * after a start), {@code mpp.queue.board-history-size} at most; a board asking for what came after an
 * older one is told {@code reset} first (it redraws from what follows). A stream that cannot keep up
 * ({@value #BUFFER} changes behind) is ended; its board reconnects and resumes from the history.
 */
@Component
public class Board {

	static final int BUFFER = 256;

	/** One change an MPP's board shows (contracts/events/mpp.queue.board.v1.schema.json, this service's copy). */
	public record Change(String eventId, String mppId, LocalDate day, String number, String queue, String state,
			Integer counter, Instant at, String note) {
	}

	/** A change and its place in the board's order: its offset in the topic's partition. */
	public record Entry(long offset, Change change) {
	}

	private final Map<String, History> histories = new ConcurrentHashMap<>();

	private final AtomicLong streams = new AtomicLong();

	private final Clock clock;

	private final Duration keep;

	private final int size;

	Board(Clock clock, MeterRegistry meters, @Value("${mpp.queue.board-history:26h}") Duration keep,
			@Value("${mpp.queue.board-history-size:20000}") int size) {
		this.clock = clock;
		this.keep = keep;
		this.size = size;
		Gauge.builder("mpp.queue.board.streams", this.streams, AtomicLong::get)
			.description("Display board and ticket streams open on this instance")
			.register(meters);
	}

	/** How far back an instance reads the board topic when it starts. */
	Duration keep() {
		return this.keep;
	}

	/** A change read from the topic; a repeat (the outbox sends at least once) is dropped. */
	void add(long offset, Change change) {
		History history = this.histories.computeIfAbsent(change.mppId(), mpp -> new History());
		synchronized (history) {
			if (offset <= history.last || !history.ids.add(change.eventId())) {
				return;
			}
			history.last = offset;
			history.entries.addLast(new Entry(offset, change));
			Instant oldest = this.clock.instant().minus(this.keep);
			while (history.entries.size() > this.size || history.entries.peekFirst().change().at().isBefore(oldest)) {
				Entry dropped = history.entries.removeFirst();
				history.ids.remove(dropped.change().eventId());
				history.dropped = dropped.offset();
			}
			Entry entry = history.entries.peekLast();
			for (Sinks.Many<Entry> stream : List.copyOf(history.streams)) {
				if (stream.tryEmitNext(entry).isFailure()) {
					// too far behind: ended, the board reconnects and resumes from the history
					history.streams.remove(stream);
					stream.tryEmitError(new IllegalStateException("board stream fell behind"));
				}
			}
		}
	}

	/**
	 * The MPP's changes after {@code after} (an offset, from {@code Last-Event-ID}; null for all kept),
	 * then every change as it comes. When changes after {@code after} were dropped from the history,
	 * the stream starts with {@link #RESET}. Changes at or before {@code after} are never sent, also
	 * while a restarted instance is still reading its history back from Kafka.
	 */
	public Flux<Entry> stream(String mppId, Long after) {
		return stream(mppId, after, true);
	}

	private Flux<Entry> stream(String mppId, Long after, boolean withHistory) {
		return Flux.defer(() -> {
			History history = this.histories.computeIfAbsent(mppId, mpp -> new History());
			Sinks.Many<Entry> live = Sinks.many().unicast().onBackpressureBuffer(Queues.<Entry>get(BUFFER).get());
			List<Entry> replay = new ArrayList<>();
			synchronized (history) {
				if (after != null && after < history.dropped) {
					replay.add(RESET);
				}
				for (Entry entry : withHistory ? history.entries : List.<Entry>of()) {
					if (after == null || entry.offset() > after) {
						replay.add(entry);
					}
				}
				history.streams.add(live);
			}
			this.streams.incrementAndGet();
			Flux<Entry> coming = (after == null) ? live.asFlux() : live.asFlux().filter(entry -> entry.offset() > after);
			return Flux.concat(Flux.fromIterable(replay), coming).doFinally(signal -> {
				this.streams.decrementAndGet();
				synchronized (history) {
					history.streams.remove(live);
				}
			});
		});
	}

	/** Only new changes, none of the history: what a ticket's holder follows. */
	public Flux<Entry> live(String mppId) {
		return stream(mppId, null, false);
	}

	/**
	 * The stream with an empty comment at once (the answer's head goes out, whatever the stream has to
	 * say) and every {@code every}, until the stream ends.
	 */
	public static <T> Flux<ServerSentEvent<T>> heartbeats(Flux<ServerSentEvent<T>> events, Duration every) {
		return events.publish(shared -> Flux.merge(shared, Flux.interval(Duration.ZERO, every)
			.map(tick -> ServerSentEvent.<T>builder().comment("").build())
			.takeUntilOther(shared.then())));
	}

	/** Told first when changes the board asked for were dropped: redraw from what follows. */
	public static final Entry RESET = new Entry(-1, null);

	private static final class History {

		private final ArrayDeque<Entry> entries = new ArrayDeque<>();

		private final Set<String> ids = new HashSet<>();

		private final List<Sinks.Many<Entry>> streams = new ArrayList<>();

		private long last = -1;

		private long dropped = -1;

	}

}
