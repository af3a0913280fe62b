package id.mppdigital.adapter.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads every submitted application ({@code mpp.application.submitted.v1}, checked against its
 * contract and producer) and records those of the agencies this instance serves for delivery. The
 * offset moves on only once the delivery is recorded: a crash before that reads the record again.
 */
@Component
class SubmittedApplications {

	static final String TOPIC = "mpp.application.submitted.v1";

	/** What this adapter reads of application-service's event (its own narrow copy). */
	record ApplicationSubmitted(String eventId, String applicationId, String mppId, String standardId,
			int standardVersion, String agencyId, Instant submittedAt, LocalDate dueDate, JsonNode form) {
	}

	/**
	 * What an agency is sent (contracts/events/mpp.agency.applications.v1.schema.json): the
	 * application, its standard version, the form and the documents' references, and its due date.
	 */
	record ForTheAgency(String eventId, String applicationId, String mppId, String standardId, int standardVersion,
			Instant submittedAt, LocalDate dueDate, JsonNode form, List<String> documents) {
	}

	private final Contracts contracts;

	private final Deliveries deliveries;

	private final JsonMapper json;

	SubmittedApplications(Contracts contracts, Deliveries deliveries, JsonMapper json) {
		this.contracts = contracts;
		this.deliveries = deliveries;
		this.json = json;
	}

	// a consumer per partition: keyed by application, each application's events stay in order
	@KafkaListener(topics = TOPIC, groupId = "agency-adapter-${mpp.adapter.instance:all}",
			concurrency = "${mpp.kafka.partitions:3}")
	void submitted(ConsumerRecord<String, String> record) {
		ApplicationSubmitted submitted = this.contracts.read(record, ApplicationSubmitted.class);
		if (!submitted.eventId().equals(submitted.applicationId())) {
			throw new ContractViolation("eventId " + submitted.eventId() + " is not the applicationId");
		}
		if (!this.deliveries.serves(submitted.agencyId())) {
			return; // another instance's agency
		}
		String payload = this.json.writeValueAsString(new ForTheAgency(submitted.eventId(), submitted.applicationId(),
				submitted.mppId(), submitted.standardId(), submitted.standardVersion(), submitted.submittedAt(),
				submitted.dueDate(), submitted.form(), List.of()));
		this.deliveries
			.accept(submitted.applicationId(), submitted.agencyId(), submitted.eventId(), submitted.submittedAt(), payload)
			.block(Duration.ofSeconds(10));
	}

}
