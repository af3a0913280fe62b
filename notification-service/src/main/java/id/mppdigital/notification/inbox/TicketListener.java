package id.mppdigital.notification.inbox;

import java.time.Duration;

import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Tells a citizen who took a queue ticket in the app that their turn is near
 * ({@code mpp.queue.turn-near.v1}) and that they are called to a counter
 * ({@code mpp.queue.ticket-called.v1}, also for every recall), each record checked against its
 * contract (and that queue-service sent it) first. A kiosk ticket has no holder to tell.
 */
@Component
class TicketListener {

	static final String CALLED = "mpp.queue.ticket-called.v1";

	static final String NEAR = "mpp.queue.turn-near.v1";

	/** What this service reads of a call: its own narrow copy of the contract. */
	record TicketCalled(String eventId, String ticketId, String mppId, String number, String standardId, int counter, int recall,
			String holder) {
	}

	/** What this service reads of a near turn. */
	record TurnNear(String eventId, String ticketId, String mppId, String number, String standardId, int position, String holder) {
	}

	private final Contracts contracts;

	private final Inbox inbox;

	TicketListener(Contracts contracts, Inbox inbox) {
		this.contracts = contracts;
		this.inbox = inbox;
	}

	@KafkaListener(topics = CALLED, groupId = "notification-service", concurrency = "${mpp.kafka.partitions:3}")
	void called(ConsumerRecord<String, String> record) {
		TicketCalled called = this.contracts.read(record, TicketCalled.class);
		if (called.holder() != null) {
			this.inbox.tell(called, java.time.Instant.ofEpochMilli(record.timestamp())).block(Duration.ofSeconds(10));
		}
	}

	@KafkaListener(topics = NEAR, groupId = "notification-service", concurrency = "${mpp.kafka.partitions:3}")
	void near(ConsumerRecord<String, String> record) {
		TurnNear near = this.contracts.read(record, TurnNear.class);
		if (near.holder() != null) {
			this.inbox.tell(near, java.time.Instant.ofEpochMilli(record.timestamp())).block(Duration.ofSeconds(10));
		}
	}

}
