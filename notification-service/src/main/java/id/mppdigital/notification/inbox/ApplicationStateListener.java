package id.mppdigital.notification.inbox;

import java.util.List;

import java.time.Duration;

import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Tells citizens in their in-app inbox when their application moves
 * ({@code mpp.application.state-changed.v1}, contracts/). Each record is checked against the contract
 * first; one that breaks it goes to {@code <topic>.DLT} (service-defaults).
 */
@Component
class ApplicationStateListener {

	static final String TOPIC = "mpp.application.state-changed.v1";

	/** What this service reads of the event: its own narrow copy of the contract. */
	record StateChanged(String eventId, String applicationId, String applicant, String mppId, String standardId, String state,
			String note, String dueDate, String reason, List<Fix> revision, String collection) {

		/** One thing the citizen must fix (NEEDS_REVISION). */
		record Fix(String field, String message) {
		}

	}

	private final Contracts contracts;

	private final Inbox inbox;

	ApplicationStateListener(Contracts contracts, Inbox inbox) {
		this.contracts = contracts;
		this.inbox = inbox;
	}

	// a consumer per partition: keyed by application, each application's events stay in order
	@KafkaListener(topics = TOPIC, groupId = "notification-service", concurrency = "${mpp.kafka.partitions:3}")
	void changed(ConsumerRecord<String, String> record) {
		StateChanged changed = this.contracts.read(record, StateChanged.class);
		// the consumer thread waits (records of one application stay in order); a failure is retried,
		// then dead-lettered, before the offset moves on
		this.inbox.tell(changed, java.time.Instant.ofEpochMilli(record.timestamp())).block(Duration.ofSeconds(10));
	}

}
