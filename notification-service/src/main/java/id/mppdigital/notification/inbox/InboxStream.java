package id.mppdigital.notification.inbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * The citizens following their inbox live on this instance: each recipient's notifications as they
 * come ({@link LiveInboxListener}, which every instance runs), to every stream that recipient has open
 * here. A recipient with no open stream costs nothing.
 */
@Component
class InboxStream {

	private final Map<String, Sinks.Many<Notification>> followed = new ConcurrentHashMap<>();

	/** The recipient's notifications from now on, for as long as the subscriber stays. */
	Flux<Notification> follow(String recipient) {
		Sinks.Many<Notification> sink = this.followed.computeIfAbsent(recipient,
				subject -> Sinks.many().multicast().onBackpressureBuffer(256, false));
		return sink.asFlux().doFinally(signal -> this.followed.computeIfPresent(recipient,
				(subject, current) -> current.currentSubscriberCount() == 0 ? null : current));
	}

	/** Whether anyone follows the recipient here. */
	boolean followed(String recipient) {
		return recipient != null && this.followed.containsKey(recipient);
	}

	/** Hands a notification to the recipient's open streams here (none: nothing happens). */
	void tell(Notification notification) {
		Sinks.Many<Notification> sink = this.followed.get(notification.recipient());
		if (sink != null) {
			sink.emitNext(notification, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(100)));
		}
	}

}
