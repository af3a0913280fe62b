package id.mppdigital.catalog.standard;

import java.time.Clock;
import java.util.Map;

import id.mppdigital.outbox.Outbox;
import id.mppdigital.outbox.OutboxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Sends {@link ServiceStandardPublished} for every published version whose event Kafka has not
 * acknowledged yet — right after a publish, and again every few seconds for any left over (Kafka
 * down, a crash between publish and send), through the version's own outbox mark
 * ({@code eventSent}). Only a crash between Kafka's acknowledgement and marking the version can send
 * it twice, which consumers recognise by {@code eventId}.
 */
@Configuration(proxyBeanMethods = false)
class PublishedStandardEvents {

	private final Outbox<StandardVersion> outbox;

	PublishedStandardEvents(StandardVersionRepository versions, ReactiveMongoTemplate mongo,
			KafkaTemplate<String, String> kafka, JsonMapper json, MeterRegistry meters, Clock clock) {
		this.outbox = new Outbox<>(ServiceStandardPublished.TOPIC, kafka, meters, clock,
				() -> versions.findByStatusAndEventSent(StandardVersion.Status.PUBLISHED, false), version -> {
					ServiceStandardPublished event = ServiceStandardPublished.of(version);
					return new OutboxEvent(ServiceStandardPublished.TOPIC, version.standardId(), event.eventId(),
							"id.mppdigital.catalog.service-standard-published.v1", "/service-catalog",
							event.publishedAt(), json.writeValueAsString(event));
				}, StandardVersion::publishedAt, version -> mongo.updateFirst(Query.query(Criteria.where("_id").is(version.id())),
						Update.update("eventSent", true), StandardVersion.class));
	}

	@Bean
	NewTopic serviceStandardPublishedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		// kept for ever: a small log (one record per published version) that a new consumer — a new
		// application-service deployment, a new adapter — reads from the start to build its copy
		return new NewTopic(ServiceStandardPublished.TOPIC, partitions, replicas)
			.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
	}

	/** After a publish: sends it in the background, without holding up the administrator's answer. */
	void trigger() {
		this.outbox.trigger();
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.event-retry-interval:5s}", initialDelayString = "${mpp.catalog.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return this.outbox.sweep();
	}

}
