package id.mppdigital.notification.inbox;

import java.util.Map;

import id.mppdigital.defaults.events.BroadcastListeners;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConsumerSeekAware;

/**
 * Live inboxes on every instance: each instance reads the events a citizen is told of in a group of
 * its own ({@code notification-service-inbox-<random>}, from the newest, no offsets kept) and hands
 * the message to the recipient's open streams here ({@link InboxStream}) — whichever instance stores
 * it in the inbox. The message is made from the event (checked against its contract first), the same
 * as the one stored, so the stream does not wait for the store.
 */
@Configuration(proxyBeanMethods = false)
class LiveInboxListener implements ConsumerSeekAware {

	static final String LIVE_LISTENERS = "liveInboxListeners";

	private final Contracts contracts;

	private final Inbox inbox;

	private final InboxStream stream;

	LiveInboxListener(Contracts contracts, Inbox inbox, InboxStream stream) {
		this.contracts = contracts;
		this.inbox = inbox;
		this.stream = stream;
	}

	/** Each instance in a group of its own, no offsets committed ({@link BroadcastListeners}). */
	@Bean(LIVE_LISTENERS)
	static ConcurrentKafkaListenerContainerFactory<Object, Object> liveInboxListeners(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
		return BroadcastListeners.factory(configurer, consumers);
	}

	/** Only what happens from now on: a stream opened later reads the stored inbox for what came before. */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		callback.seekToEnd(assignments.keySet());
	}

	@KafkaListener(topics = { ApplicationStateListener.TOPIC, TicketListener.CALLED, TicketListener.NEAR },
			id = "live-inbox", containerFactory = LIVE_LISTENERS, groupId = "notification-service-inbox-#{T(java.util.UUID).randomUUID()}",
			properties = { "auto.offset.reset=latest", "enable.auto.commit=false" })
	void told(ConsumerRecord<String, String> record) {
		Notification notification;
		try {
			notification = live(record);
		}
		catch (ContractViolation broken) {
			// the inbox's own listener dead-letters it, once; a live stream only skips it
			return;
		}
		if (notification != null) {
			this.stream.tell(notification);
		}
	}

	/** The notification for a followed recipient; null when nobody follows them here. */
	private Notification live(ConsumerRecord<String, String> record) {
		return switch (record.topic()) {
			case ApplicationStateListener.TOPIC -> {
				ApplicationStateListener.StateChanged changed = this.contracts.read(record,
						ApplicationStateListener.StateChanged.class);
				yield this.stream.followed(changed.applicant()) ? this.inbox.of(changed) : null;
			}
			case TicketListener.CALLED -> {
				TicketListener.TicketCalled called = this.contracts.read(record, TicketListener.TicketCalled.class);
				yield this.stream.followed(called.holder()) ? this.inbox.of(called) : null;
			}
			default -> {
				TicketListener.TurnNear near = this.contracts.read(record, TicketListener.TurnNear.class);
				yield this.stream.followed(near.holder()) ? this.inbox.of(near) : null;
			}
		};
	}

}
