package id.mppdigital.application.applications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
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
 * What application-service tells the rest of the platform, each from an outbox mark written with the
 * change itself (sent at once from the document as written, and searched for in the store after a
 * start, after a failed send and every minute, until Kafka acknowledges it — {@link Outbox}):
 * <ul>
 * <li>{@code mpp.application.submitted.v1}, keyed by agency, with the form: the agency's adapter
 * hands the new application to the back office;</li>
 * <li>{@code mpp.application.state-changed.v1}, keyed by application: where it stands now, who moved
 * it (officer, agency system, applicant) — for notifying the citizen, and for the agency to learn of a
 * withdrawal. Carries the latest state: two changes between sweeps go out as the later one, and the
 * mark is cleared only if no newer change came meanwhile.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ApplicationEvents {

	public static final String SUBMITTED = "mpp.application.submitted.v1";

	public static final String STATE_CHANGED = "mpp.application.state-changed.v1";

	/** contracts/events/mpp.application.submitted.v1.schema.json */
	record ApplicationSubmitted(String eventId, String applicationId, String mppId, String standardId,
			int standardVersion, String agencyId, Instant submittedAt, LocalDate dueDate, JsonNode form) {
	}

	/** contracts/events/mpp.application.state-changed.v1.schema.json */
	record ApplicationStateChanged(String eventId, String applicationId, String applicant, String mppId,
			String standardId, String agencyId, State state, Instant at, String by, String note,
			String agencyReference, LocalDate dueDate, String reason, List<Application.Revision> revision,
			String collection) {
	}

	private final Outbox<Application> submitted;

	private final Outbox<Application> stateChanged;

	ApplicationEvents(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, JsonMapper json,
			MeterRegistry meters, Clock clock, FormVault vault,
			@Value("${mpp.application.event-rescan-interval:60s}") Duration rescan) {
		this.submitted = new Outbox<>(SUBMITTED, kafka, meters, clock,
				() -> mongo.find(Query.query(Criteria.where("eventSent").is(false)).with(Sort.by("submittedAt")),
						Application.class),
				application -> new OutboxEvent(SUBMITTED, application.agencyId(), application.id(),
						"id.mppdigital.application.submitted.v1", "/application-service", application.submittedAt(),
						json.writeValueAsString(new ApplicationSubmitted(application.id(), application.id(),
								application.mppId(), application.standardId(), application.standardVersion(),
								application.agencyId(), application.submittedAt(), application.dueDate(),
								json.readTree(vault.open(application.id(), application.form()))))),
				Application::submittedAt,
				application -> mongo.updateFirst(Query.query(Criteria.where("_id").is(application.id())),
						Update.update("eventSent", true), Application.class))
			.rescanEvery(rescan);
		this.stateChanged = new Outbox<>(STATE_CHANGED, kafka, meters, clock,
				() -> mongo.find(Query.query(Criteria.where("stateEventSent").is(false)).with(Sort.by("submittedAt")),
						Application.class),
				application -> {
					// the step that set the state: a late report kept in the history did not
					Step latest = application.current();
					String eventId = application.id() + "@" + application.history().size();
					return new OutboxEvent(STATE_CHANGED, application.id(), eventId,
							"id.mppdigital.application.state-changed.v1", "/application-service", latest.at(),
							json.writeValueAsString(new ApplicationStateChanged(eventId, application.id(),
									application.applicant(), application.mppId(), application.standardId(),
									application.agencyId(), latest.state(), latest.at(), latest.role(), latest.note(),
									application.agencyReference(), application.dueDate(), latest.reason(),
									latest.revision() == null ? List.of() : latest.revision(), latest.collection())));
				},
				application -> application.current().at(),
				// cleared only if nothing changed since: a newer state is still to be told
				application -> mongo.updateFirst(Query.query(application.unchanged()), Update.update("stateEventSent", true),
						Application.class))
			.rescanEvery(rescan);
	}

	@Bean
	NewTopic applicationSubmittedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new NewTopic(SUBMITTED, partitions, replicas);
	}

	@Bean
	NewTopic applicationStateChangedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new NewTopic(STATE_CHANGED, partitions, replicas);
	}

	/** After an application was submitted: its event goes out at once (the document as written). */
	void submitted(Application application) {
		this.submitted.trigger(application);
	}

	/** After an application's state changed: the event of the document as written. */
	void stateChanged(Application application) {
		this.stateChanged.trigger(application);
	}

	@Scheduled(fixedDelayString = "${mpp.application.event-retry-interval:5s}",
			initialDelayString = "${mpp.application.event-retry-interval:5s}")
	Mono<Void> sweep() {
		return Mono.when(this.submitted.sweep(), this.stateChanged.sweep());
	}

}
