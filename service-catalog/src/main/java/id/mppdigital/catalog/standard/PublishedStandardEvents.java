package id.mppdigital.catalog.standard;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import id.mppdigital.catalog.background.SerialJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
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
 * down, a crash between publish and send). One sweep at a time, so a publish is sent once; only a
 * crash between Kafka's acknowledgement and marking the version can send it twice, which consumers
 * recognise by {@code eventId}.
 */
@Configuration(proxyBeanMethods = false)
class PublishedStandardEvents {

	private static final Logger log = LoggerFactory.getLogger(PublishedStandardEvents.class);

	private final StandardVersionRepository versions;

	private final ReactiveMongoTemplate mongo;

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	private final SerialJob sweep = new SerialJob("Sending service standard events", this::sendPending);

	/** Published versions whose event Kafka has not acknowledged, as of the last sweep. */
	private final AtomicInteger pending = new AtomicInteger();

	PublishedStandardEvents(StandardVersionRepository versions, ReactiveMongoTemplate mongo,
			KafkaTemplate<String, String> kafka, JsonMapper json, MeterRegistry meters) {
		this.versions = versions;
		this.mongo = mongo;
		this.kafka = kafka;
		this.json = json;
		Gauge.builder("mpp.outbox.pending", this.pending, AtomicInteger::get)
			.description("Events waiting in the outbox for Kafka to acknowledge them")
			.tag("topic", ServiceStandardPublished.TOPIC)
			.register(meters);
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
		this.sweep.trigger();
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.event-retry-interval:5s}", initialDelayString = "${mpp.catalog.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return this.sweep.run();
	}

	/** Sends every event Kafka has not acknowledged yet, oldest first (one sweep at a time: {@link SerialJob}). */
	private Mono<Void> sendPending() {
		return this.versions.findByStatusAndEventSent(StandardVersion.Status.PUBLISHED, false)
			.collectList()
			.doOnNext(waiting -> this.pending.set(waiting.size()))
			.flatMapIterable(waiting -> waiting)
			.concatMap(version -> send(version).doOnSuccess(sent -> this.pending.decrementAndGet()))
			.then();
	}

	private Mono<Void> send(StandardVersion version) {
		ServiceStandardPublished event = ServiceStandardPublished.of(version);
		ProducerRecord<String, String> record = new ProducerRecord<>(ServiceStandardPublished.TOPIC,
				version.standardId(), this.json.writeValueAsString(event));
		// CloudEvents binary mode headers (contracts/asyncapi.yaml)
		header(record, "ce_specversion", "1.0");
		header(record, "ce_id", event.eventId());
		header(record, "ce_type", "id.mppdigital.catalog.service-standard-published.v1");
		header(record, "ce_source", "/service-catalog");
		header(record, "ce_time", event.publishedAt().toString());
		header(record, "content-type", "application/json");
		// send() may block while it fetches metadata (broker down): never on an event-loop thread
		return Mono.fromCallable(() -> this.kafka.send(record))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(Mono::fromFuture)
			.then(this.mongo.updateFirst(Query.query(Criteria.where("_id").is(version.id())),
					Update.update("eventSent", true), StandardVersion.class))
			.doOnSuccess(done -> log.info("Sent {} for {}", ServiceStandardPublished.TOPIC, version.id()))
			.then();
	}

	private static void header(ProducerRecord<String, String> record, String name, String value) {
		record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
