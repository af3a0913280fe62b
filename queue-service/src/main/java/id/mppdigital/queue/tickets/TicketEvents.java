package id.mppdigital.queue.tickets;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import id.mppdigital.outbox.Outbox;
import id.mppdigital.outbox.OutboxEvent;
import id.mppdigital.queue.tickets.Ticket.State;
import id.mppdigital.queue.tickets.Ticket.Step;
import id.mppdigital.queue.tickets.Ticket.Unsent;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * What queue-service tells the rest of the platform about tickets (contracts/asyncapi.yaml). Every
 * move of a ticket writes its events into the ticket itself ({@link Ticket#unsent()}), in the same
 * conditional write as the move, so that an event is never lost when the service stops between the
 * two; the {@link Outbox} sends them at once from memory, and searches the store after a start, a
 * failed send and every minute, removing each from the ticket once Kafka acknowledged it:
 * <ul>
 * <li>{@code mpp.queue.board.v1}, keyed by MPP (one partition keeps an MPP's board in order): every
 * issue, call, recall, start, end and transfer, with the number and the counter only — what a display
 * board shows, no personal data. Every queue-service instance reads it back for its boards.</li>
 * <li>{@code mpp.queue.ticket-called.v1}, keyed by ticket: a ticket was called (again) to a counter, for
 * the holder's inbox.</li>
 * <li>{@code mpp.queue.turn-near.v1}, keyed by ticket: the ticket reached the configured place in its
 * line ({@code mpp.queue.turn-near-position}), once per ticket.</li>
 * <li>{@code mpp.queue.ticket-served.v1}, keyed by ticket: served, by which counter and agency, with
 * how long it waited and was served — for the satisfaction survey and the agencies' figures.</li>
 * </ul>
 * Delivery is at least once; consumers drop repeats by {@code eventId}.
 */
@Configuration(proxyBeanMethods = false)
public class TicketEvents {

	public static final String BOARD = "mpp.queue.board.v1";

	public static final String CALLED = "mpp.queue.ticket-called.v1";

	public static final String TURN_NEAR = "mpp.queue.turn-near.v1";

	public static final String SERVED = "mpp.queue.ticket-served.v1";

	static final String SOURCE = "/queue-service";

	private static final SecureRandom random = new SecureRandom();

	/** contracts/events/mpp.queue.board.v1.schema.json */
	public record BoardChange(String eventId, String mppId, LocalDate day, String number, String queue, State state,
			Integer counter, Instant at, String note) {
	}

	/** contracts/events/mpp.queue.ticket-called.v1.schema.json */
	record TicketCalled(String eventId, String ticketId, String mppId, LocalDate day, String number, String queue,
			String standardId, int counter, int recall, String holder, Instant at) {
	}

	/** contracts/events/mpp.queue.turn-near.v1.schema.json */
	record TurnNear(String eventId, String ticketId, String mppId, LocalDate day, String number, String queue,
			String standardId, int position, String holder, Instant at) {
	}

	/** contracts/events/mpp.queue.ticket-served.v1.schema.json */
	record TicketServed(String eventId, String ticketId, String mppId, LocalDate day, String number, String queue,
			String standardId, String agencyId, int counter, String holder, Instant issuedAt, Instant calledAt,
			Instant servingAt, Instant servedAt, long waitedSeconds, long servedSeconds) {
	}

	/** One event of one ticket, as the outbox handles it. */
	record Pending(String ticketId, Unsent event) {
	}

	private final JsonMapper json;

	private final Outbox<Pending> outbox;

	TicketEvents(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, JsonMapper json, MeterRegistry meters,
			Clock clock, @Value("${mpp.queue.event-rescan-interval:60s}") Duration rescan) {
		this.json = json;
		this.outbox = new Outbox<Pending>("mpp.queue", kafka, meters, clock,
				() -> mongo.find(Query.query(Criteria.where("unsent.0").exists(true)).with(Sort.by("issuedAt")), Ticket.class)
					.concatMap(ticket -> Flux.fromIterable(ticket.unsent()).map(event -> new Pending(ticket.id(), event))),
				pending -> new OutboxEvent(pending.event().topic(), pending.event().key(), pending.event().eventId(),
						pending.event().type(), SOURCE, pending.event().at(), pending.event().json()),
				pending -> pending.event().at(),
				pending -> mongo.updateFirst(Query.query(Criteria.where("_id").is(pending.ticketId())),
						new Update().pull("unsent", Query.query(Criteria.where("eventId").is(pending.event().eventId()))),
						Ticket.class))
			.rescanEvery(rescan);
	}

	/** The events of a move to {@code step} of {@code ticket} as it was before it. */
	List<Unsent> of(Ticket ticket, Step step) {
		List<Unsent> events = new ArrayList<>();
		events.add(unsent(BOARD, ticket.mppId(), step.at(), id -> new BoardChange(id, ticket.mppId(), ticket.day(),
				ticket.number(), ticket.queue(), step.state(), step.counter(), step.at(), step.note())));
		if (step.state() == State.CALLED) {
			events.add(unsent(CALLED, ticket.id(), step.at(), id -> new TicketCalled(id, ticket.id(), ticket.mppId(),
					ticket.day(), ticket.number(), ticket.queue(), ticket.standardId(), step.counter(),
					(ticket.state() == State.CALLED) ? ticket.recalls() + 1 : 0, ticket.holder(), step.at())));
		}
		if (step.state() == State.DONE) {
			Instant calledAt = (ticket.calledAt() != null) ? ticket.calledAt() : step.at();
			Instant servingAt = (ticket.servingAt() != null) ? ticket.servingAt() : step.at();
			events.add(unsent(SERVED, ticket.id(), step.at(), id -> new TicketServed(id, ticket.id(), ticket.mppId(),
					ticket.day(), ticket.number(), ticket.queue(), ticket.standardId(), ticket.agencyId(), ticket.counter(),
					ticket.holder(), ticket.issuedAt(), calledAt, servingAt, step.at(),
					Duration.between(ticket.issuedAt(), calledAt).toSeconds(),
					Duration.between(servingAt, step.at()).toSeconds())));
		}
		return events;
	}

	/** The event telling the holder that the ticket is {@code position} in its line. */
	Unsent turnNear(Ticket ticket, int position, Instant at) {
		return unsent(TURN_NEAR, ticket.id(), at, id -> new TurnNear(id, ticket.id(), ticket.mppId(), ticket.day(),
				ticket.number(), ticket.queue(), ticket.standardId(), position, ticket.holder(), at));
	}

	private Unsent unsent(String topic, String key, Instant at, java.util.function.Function<String, Object> payload) {
		byte[] bytes = new byte[12];
		random.nextBytes(bytes);
		String id = HexFormat.of().formatHex(bytes);
		String type = "id.mppdigital.queue." + topic.substring("mpp.queue.".length());
		return new Unsent(id, topic, key, type, at, this.json.writeValueAsString(payload.apply(id)));
	}

	/** After a write: the events it added go out at once (the others are on their way already). */
	void written(Ticket ticket, List<Unsent> added) {
		added.forEach(event -> this.outbox.trigger(new Pending(ticket.id(), event)));
	}

	@Scheduled(fixedDelayString = "${mpp.queue.event-retry-interval:5s}",
			initialDelayString = "${mpp.queue.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return this.outbox.sweep();
	}

	/** The four topics, declared by their producer. */
	@Bean
	KafkaAdmin.NewTopics queueTopics(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new KafkaAdmin.NewTopics(java.util.stream.Stream.of(BOARD, CALLED, TURN_NEAR, SERVED)
			.map(topic -> new NewTopic(topic, partitions, replicas))
			.toArray(NewTopic[]::new));
	}

}
