package id.mppdigital.application.applications;

import java.time.Instant;
import java.time.LocalDate;

import id.mppdigital.application.privacy.FormVault;
import id.mppdigital.outbox.Outbox;
import id.mppdigital.outbox.OutboxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Tells the agency of every new application about it: {@code mpp.application.submitted.v1}, keyed by
 * agency (an agency's applications stay in order), with the form, so its adapter can hand it to the
 * back office. Sent from the application's own outbox mark — right after submission, and every few
 * seconds for what Kafka has not acknowledged — so an application is never accepted without its
 * agency eventually hearing of it.
 */
@Configuration(proxyBeanMethods = false)
public class SubmittedEvents {

	public static final String TOPIC = "mpp.application.submitted.v1";

	/** The payload (contracts/events/mpp.application.submitted.v1.schema.json). */
	record ApplicationSubmitted(String eventId, String applicationId, String mppId, String standardId,
			int standardVersion, String agencyId, Instant submittedAt, LocalDate dueDate, JsonNode form) {
	}

	private final Outbox<Application> outbox;

	SubmittedEvents(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, JsonMapper json,
			MeterRegistry meters, FormVault vault) {
		this.outbox = new Outbox<>(TOPIC, kafka, meters,
				() -> mongo.find(Query.query(Criteria.where("eventSent").is(false)).with(Sort.by("submittedAt")),
						Application.class),
				application -> new OutboxEvent(TOPIC, application.agencyId(), application.id(),
						"id.mppdigital.application.submitted.v1", "/application-service", application.submittedAt(),
						json.writeValueAsString(new ApplicationSubmitted(application.id(), application.id(),
								application.mppId(), application.standardId(), application.standardVersion(),
								application.agencyId(), application.submittedAt(), application.dueDate(),
								json.readTree(vault.open(application.id(), application.form()))))),
				application -> mongo.updateFirst(Query.query(Criteria.where("_id").is(application.id())),
						Update.update("eventSent", true), Application.class));
	}

	@Bean
	NewTopic applicationSubmittedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new NewTopic(TOPIC, partitions, replicas);
	}

	void trigger() {
		this.outbox.trigger();
	}

	@Scheduled(fixedDelayString = "${mpp.application.event-retry-interval:5s}",
			initialDelayString = "${mpp.application.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return this.outbox.sweep();
	}

}
