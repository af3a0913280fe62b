package id.mppdigital.notification.delivery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import id.mppdigital.notification.channels.Channel;
import id.mppdigital.outbox.Outbox;
import id.mppdigital.outbox.OutboxEvent;
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
 * {@code mpp.notification.delivery-reported.v1} (contracts/), keyed by delivery: every delivery that
 * reaches an end — sent, delivered, failed for good — for operators and analytics, with no address and
 * no text. The report is written into the delivery in the same write as its status ({@link Delivery#unsent()}),
 * so that it is never lost when the service stops between the two; the {@link Outbox} sends it at once
 * and removes it once Kafka acknowledged it (at least once: consumers drop repeats by {@code eventId}).
 */
@Configuration(proxyBeanMethods = false)
class Reports {

	static final String TOPIC = "mpp.notification.delivery-reported.v1";

	static final String TYPE = "id.mppdigital.notification.delivery-reported.v1";

	static final String SOURCE = "/notification-service";

	private static final SecureRandom random = new SecureRandom();

	/** contracts/events/mpp.notification.delivery-reported.v1.schema.json */
	record DeliveryReported(String eventId, String deliveryId, String toldEventId, Channel channel,
			Delivery.Status status, int attempts, boolean urgent, String reason, Instant eventAt, Instant at) {
	}

	/** One report of one delivery, as the outbox handles it. */
	record Pending(String deliveryId, Delivery.Unsent event) {
	}

	private final JsonMapper json;

	private final Outbox<Pending> outbox;

	Reports(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, JsonMapper json, MeterRegistry meters,
			Clock clock, @Value("${mpp.notification.event-rescan-interval:60s}") Duration rescan) {
		this.json = json;
		this.outbox = new Outbox<Pending>("mpp.notification", kafka, meters, clock,
				() -> mongo.find(Query.query(Criteria.where("unsent.0").exists(true)).with(Sort.by("createdAt")),
						Delivery.class)
					.concatMap(delivery -> Flux.fromIterable(delivery.unsent())
						.map(event -> new Pending(delivery.id(), event))),
				pending -> new OutboxEvent(pending.event().topic(), pending.event().key(), pending.event().eventId(),
						pending.event().type(), SOURCE, pending.event().at(), pending.event().json()),
				pending -> pending.event().at(),
				pending -> mongo.updateFirst(Query.query(Criteria.where("_id").is(pending.deliveryId())),
						new Update().pull("unsent", Query.query(Criteria.where("eventId").is(pending.event().eventId()))),
						Delivery.class))
			.rescanEvery(rescan);
	}

	/** The report of {@code delivery} reaching {@code status} after {@code attempts} attempts. */
	Delivery.Unsent of(Delivery delivery, Delivery.Status status, int attempts, String reason, Instant at) {
		byte[] bytes = new byte[12];
		random.nextBytes(bytes);
		String id = HexFormat.of().formatHex(bytes);
		return new Delivery.Unsent(id, TOPIC, delivery.id(), TYPE, at,
				this.json.writeValueAsString(new DeliveryReported(id, delivery.id(), delivery.eventId(), delivery.channel(),
						status, attempts, delivery.urgent(), reason, delivery.eventAt(), at)));
	}

	/** After the write that added it: the report goes out at once. */
	void written(String deliveryId, Delivery.Unsent event) {
		this.outbox.trigger(new Pending(deliveryId, event));
	}

	@Scheduled(fixedDelayString = "${mpp.notification.event-retry-interval:5s}",
			initialDelayString = "${mpp.notification.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return this.outbox.sweep();
	}

	/** The topic, declared by its producer. */
	@Bean
	KafkaAdmin.NewTopics notificationTopics(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new KafkaAdmin.NewTopics(new NewTopic(TOPIC, partitions, replicas));
	}

}
