package id.mppdigital.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.EmailChannel;
import id.mppdigital.notification.preferences.Recipients;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Tells a citizen on the channels they opted in to (besides the in-app inbox), exactly once per
 * event, recipient and channel:
 * <ol>
 * <li>the delivery is recorded first, under an id made of the three — a redelivered event finds it
 * and does not make a second;</li>
 * <li>then sent, with that id as the email's {@code Message-ID};</li>
 * <li>then marked sent. A crash between sending and marking leaves it queued, and the redelivered
 * event sends it again with the same {@code Message-ID}: at least once towards the SMTP server, but
 * recognisably the same message (docs/notifications.md says what that means for the citizen).</li>
 * </ol>
 * A send the server refuses is marked failed with its answer and the event fails, so that the
 * consumer retries it with back-off (service-defaults) and dead-letters it at the end; the inbox
 * entry is already there, and a retry sends only what is not sent yet.
 */
@Component
public class Deliveries {

	/**
	 * What to tell, in both languages.
	 *
	 * @param urgent it must not wait (quiet hours) and is not one a citizen may unsubscribe from
	 */
	public record Message(String eventId, String recipient, boolean urgent, String subjectId, String subjectEn,
			String textId, String textEn) {
	}

	private final ReactiveMongoTemplate mongo;

	private final Recipients recipients;

	private final EmailChannel email;

	private final Clock clock;

	Deliveries(ReactiveMongoTemplate mongo, Recipients recipients, EmailChannel email, Clock clock) {
		this.mongo = mongo;
		this.recipients = recipients;
		this.email = email;
		this.clock = clock;
	}

	/** Sends the message on every channel the recipient opted in to and can be reached on. */
	public Mono<Void> send(Message message) {
		return this.recipients.of(message.recipient())
			.flatMapMany(recipient -> Flux.fromIterable(recipient.channels())
				.filter(channel -> channel == Channel.EMAIL && recipient.email() != null)
				.concatMap(channel -> deliver(message, recipient, channel)))
			.then();
	}

	private Mono<Void> deliver(Message message, Recipients.Recipient recipient, Channel channel) {
		boolean english = "en".equals(recipient.language());
		Delivery queued = new Delivery(idOf(message.eventId(), message.recipient(), channel), message.eventId(),
				message.recipient(), channel, Delivery.Status.QUEUED, 0, recipient.language(),
				english ? message.subjectEn() : message.subjectId(), english ? message.textEn() : message.textId(),
				message.urgent(), this.clock.instant(), null, null);
		return this.mongo.insert(queued)
			.onErrorResume(DuplicateKeyException.class, again -> this.mongo.findById(queued.id(), Delivery.class))
			// sent (or delivered) already: a redelivered event changes nothing
			.filter(delivery -> delivery.status() == Delivery.Status.QUEUED || delivery.status() == Delivery.Status.FAILED)
			.flatMap(delivery -> this.email
				.send(new EmailChannel.Mail(delivery.id(), recipient.email(), delivery.language(), delivery.subject(),
						delivery.text(), !delivery.urgent()))
				.then(mark(delivery, Delivery.Status.SENT, null))
				.onErrorResume(failure -> mark(delivery, Delivery.Status.FAILED, reason(failure)).then(Mono.error(failure))));
	}

	private Mono<Void> mark(Delivery delivery, Delivery.Status status, String reason) {
		Update update = new Update().set("status", status).inc("attempts", 1).set("reason", reason);
		if (status == Delivery.Status.SENT) {
			update.set("sentAt", this.clock.instant());
		}
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(delivery.id())), update, Delivery.class).then();
	}

	private static String reason(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String said = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
		// a server's answer may name the address: not kept
		said = said.replaceAll("[^\\s<>\"':;,]+@", "***@");
		return said.length() > 300 ? said.substring(0, 300) : said;
	}

	/** One id per event, recipient and channel (hex of SHA-256, 32 characters). */
	static String idOf(String eventId, String recipient, Channel channel) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((eventId + "\n" + recipient + "\n" + channel).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
