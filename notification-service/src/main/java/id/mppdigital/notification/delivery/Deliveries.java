package id.mppdigital.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import id.mppdigital.defaults.store.RevisionIndex;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.EmailChannel;
import id.mppdigital.notification.channels.PhoneChannel;
import id.mppdigital.notification.preferences.Recipients;
import id.mppdigital.notification.templates.Templates;
import id.mppdigital.problems.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
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
 * and does not make a second — and the event's consumer moves on at once;</li>
 * <li>a sender claims it (one conditional write: of several instances, one sends it), sends it with
 * that id as the email's {@code Message-ID}, and marks it sent;</li>
 * <li>a send the server refuses is tried again after a back-off that doubles each time
 * ({@code mpp.notification.retry.*}), up to a cap of attempts, then failed for good with the reason.</li>
 * </ol>
 * A crash between sending and marking leaves it claimed; once the claim runs out it is sent again
 * with the same {@code Message-ID}: at least once towards the SMTP server, but recognisably the same
 * message (docs/notifications.md); towards an SMS or WhatsApp provider the delivery id is the
 * message's idempotency key, so the provider does not send it twice. A message goes to the first of
 * the citizen's channels; failed there for good (refused, out of attempts, or an undeliverable
 * receipt), to the next. "You are called" goes before everything else waiting.
 */
@Component
@org.springframework.boot.context.properties.EnableConfigurationProperties(Deliveries.Retry.class)
public class Deliveries {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Deliveries.class);

	/**
	 * What to tell, in both languages.
	 *
	 * @param mppId the MPP the event is about (the citizen's quiet hours are read on its clock); null when none
	 * @param urgent it must not wait (quiet hours, other messages) and is not one a citizen may unsubscribe from
	 */
	public record Message(String eventId, String recipient, String mppId, Instant at, boolean urgent, String kind,
			java.util.Map<String, String> variables) {
	}

	/** How often a refused send is tried again, and how long it waits. */
	@org.springframework.boot.context.properties.ConfigurationProperties("mpp.notification.retry")
	record Retry(@org.springframework.boot.context.properties.bind.DefaultValue("5") int maxAttempts,
			@org.springframework.boot.context.properties.bind.DefaultValue("30s") Duration firstDelay,
			@org.springframework.boot.context.properties.bind.DefaultValue("1h") Duration maxDelay,
			@org.springframework.boot.context.properties.bind.DefaultValue("2m") Duration claim) {

		Duration after(int attempts) {
			Duration delay = this.firstDelay.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
			return delay.compareTo(this.maxDelay) > 0 ? this.maxDelay : delay;
		}

	}

	private final ReactiveMongoTemplate mongo;

	private final Recipients recipients;

	private final EmailChannel email;

	private final PhoneChannel phone;

	private final Clock clock;

	private final Retry retry;

	private final DueQueue due;

	private final MppZones zones;

	private final Templates templates;

	private final MeterRegistry meters;

	private final Reports reports;

	Deliveries(ReactiveMongoTemplate mongo, Recipients recipients, EmailChannel email, PhoneChannel phone, Clock clock,
			Retry retry, DueQueue due, MeterRegistry meters, Reports reports, MppZones zones, Templates templates) {
		this.templates = templates;
		this.phone = phone;
		this.zones = zones;
		this.meters = meters;
		this.reports = reports;
		this.mongo = mongo;
		this.recipients = recipients;
		this.email = email;
		this.clock = clock;
		this.retry = retry;
		this.due = due;
		RevisionIndex.ensure(mongo, Delivery.class, "revision");
		due.sendWith(this::attempt, this::open);
	}

	/**
	 * Records the message for the first channel in the recipient's order they can be reached on; the
	 * next ones are there for a fallback. Nothing when they chose none (the in-app inbox has it).
	 */
	public Mono<Void> send(Message message) {
		return this.recipients.of(message.recipient()).flatMap(recipient -> {
			Channel first = next(recipient, null);
			if (first == null) {
				return Mono.empty();
			}
			return this.zones.of(message.mppId())
				.flatMap(zone -> queue(message.eventId(), recipient, first, message.kind(), message.variables(),
						message.urgent(), message.at(), zone.getId()));
		});
	}

	/** The channel after {@code after} in the recipient's order that has a verified contact; null when none is left. */
	private static Channel next(Recipients.Recipient recipient, Channel after) {
		List<Channel> order = recipient.channels();
		int from = after == null ? 0 : order.indexOf(after) + 1;
		for (int n = Math.max(0, from); n < order.size(); n++) {
			if (order.get(n) != after && recipient.contact(order.get(n)) != null) {
				return order.get(n);
			}
		}
		return null;
	}

	/**
	 * Records the delivery on one channel, its text rendered now in the recipient's language with that
	 * channel's template (checked when it was saved, so it renders).
	 */
	private Mono<Void> queue(String eventId, Recipients.Recipient recipient, Channel channel, String kind,
			java.util.Map<String, String> variables, boolean urgent, Instant eventAt, String zone) {
		Instant now = this.clock.instant();
		String id = idOf(eventId, recipient.subject(), channel);
		Templates.Rendered text = this.templates.render(kind, channel.name(), recipient.language(), variables);
		Delivery queued = new Delivery(id, eventId, recipient.subject(), channel, Delivery.Status.QUEUED, 0,
				recipient.language(), text.subject(), text.body(), urgent, now, now, null, Delivery.revisionOf(id, 0), null,
				null, eventAt, List.of(), null, zone, kind, variables);
		Instant quiet = quietUntil(queued, recipient, now);
		if (quiet != null) {
			// in the citizen's quiet hours: due when they end
			queued = queued.queuedFor(quiet, 0, null);
		}
		return this.mongo.insert(queued)
			.onErrorResume(DuplicateKeyException.class, again -> this.mongo.findById(id, Delivery.class))
			// sent, failed for good, or being sent: a redelivered event changes nothing
			.filter(delivery -> delivery.open(now))
			.doOnNext(this.due::offer)
			.then();
	}

	/** The deliveries still to send, for the sender after a start and as a safety net. */
	private Flux<Delivery> open() {
		return this.mongo.find(Query.query(Criteria.where("status").in(Delivery.Status.QUEUED, Delivery.Status.SENDING)),
				Delivery.class);
	}

	/** When the recipient's quiet hours, on the MPP's clock, end, if they hold this delivery back now; else null. */
	private static Instant quietUntil(Delivery delivery, Recipients.Recipient recipient, Instant now) {
		return delivery.quietable()
				? QuietHours.until(now, delivery.zoneId(), recipient.quietFrom(), recipient.quietTo()) : null;
	}

	/**
	 * One attempt at one due delivery, as this instance holds it (no read: the claim is conditional on
	 * its revision, so a copy the store has moved on from is read again): claimed, sent, marked; or put
	 * back for later, or failed for good. One that quiet hours hold back (chosen or changed since it
	 * was queued) waits in memory until they end, without a write.
	 */
	private Mono<Void> attempt(Delivery held) {
		Instant now = this.clock.instant();
		return Mono.just(held)
			.filter(delivery -> delivery.open(now) && !delivery.nextAttemptAt().isAfter(now))
			.zipWhen(delivery -> this.recipients.of(delivery.recipient()))
			.filter(both -> {
				Instant quiet = quietUntil(both.getT1(), both.getT2(), now);
				if (quiet != null) {
					this.due.offer(both.getT1().queuedFor(quiet, both.getT1().attempts(), both.getT1().reason()));
				}
				return quiet == null;
			})
			.flatMap(both -> claim(both.getT1(), now)
				// written since by another instance (or read before a write of this one): as the store has it now
				.switchIfEmpty(Mono.defer(() -> this.mongo.findById(held.id(), Delivery.class)
					.filter(delivery -> !delivery.revision().equals(held.revision()) && delivery.open(now)
							&& !delivery.nextAttemptAt().isAfter(now))
					.flatMap(delivery -> claim(delivery, now))))
				.flatMap(claimed -> send(claimed, both.getT2(), now)));
	}

	/** Sends a claimed delivery and records how it went. */
	private Mono<Void> send(Delivery claimed, Recipients.Recipient recipient, Instant now) {
		String contact = recipient.contact(claimed.channel());
		if (contact == null || !recipient.channels().contains(claimed.channel())) {
			return finish(claimed, Delivery.Status.FAILED, "the citizen no longer receives " + claimed.channel(), now,
					null);
		}
		return sendOn(claimed, recipient, contact)
			.flatMap(providerId -> finish(claimed, Delivery.Status.SENT, null, this.clock.instant(), providerId.orElse(null)))
			.onErrorResume(PhoneChannel.NotNow.class, later -> putBack(claimed, later.at(), later.getMessage()))
			.onErrorResume(PhoneChannel.Refused.class, refused -> {
				count(claimed, "refused");
				return finish(claimed, Delivery.Status.FAILED, refused.getMessage(), this.clock.instant(), null);
			})
			.onErrorResume(failure -> failed(claimed, reason(failure)));
	}

	/** Sends it on its channel; the provider's id for it (SMS, WhatsApp), none for email. */
	private Mono<Optional<String>> sendOn(Delivery claimed, Recipients.Recipient recipient, String contact) {
		if (claimed.channel() == Channel.EMAIL) {
			return this.email
				.send(new EmailChannel.Mail(claimed.id(), contact, claimed.language(), claimed.subject(), claimed.text(),
						!claimed.urgent()))
				.thenReturn(Optional.empty());
		}
		String body = claimed.text();
		return this.phone
			.send(claimed.channel(), new PhoneChannel.Text(claimed.id(), contact,
					body.length() > 1600 ? body.substring(0, 1600) : body))
			.doOnNext(accepted -> {
				if (accepted.repeat()) {
					// sent before a crash and recorded only now: the provider recognised it
					count(claimed, "recognised");
				}
			})
			.map(accepted -> Optional.of(accepted.messageId()));
	}

	/** Takes it for this instance; empty when another took it first. */
	private Mono<Delivery> claim(Delivery delivery, Instant now) {
		Update update = new Update().set("status", Delivery.Status.SENDING)
			.set("claimedUntil", now.plus(this.retry.claim()))
			.set("revision", Delivery.revisionOf(delivery.id(), claims(delivery) + 1))
			.inc("attempts", 1);
		return this.mongo.findAndModify(Query.query(Criteria.where("revision").is(delivery.revision())), update,
				FindAndModifyOptions.options().returnNew(true), Delivery.class);
	}

	private static int claims(Delivery delivery) {
		return Integer.parseInt(delivery.revision().substring(delivery.revision().lastIndexOf('#') + 1));
	}

	/** Not sent through no fault of its own (rate, 429, open circuit): queued again for then, the attempt not counted. */
	private Mono<Void> putBack(Delivery claimed, Instant at, String why) {
		count(claimed, "deferred");
		log.debug("Delivery {} ({}) waits until {}: {}", claimed.id(), claimed.channel(), at, why);
		return queueAgain(claimed, at, claimed.attempts() - 1, claimed.reason());
	}

	private Mono<Void> failed(Delivery claimed, String reason) {
		count(claimed, "refused");
		if (claimed.attempts() >= this.retry.maxAttempts()) {
			log.warn("Delivery {} ({}) failed for good after {} attempts: {}", claimed.id(), claimed.channel(),
					claimed.attempts(), reason);
			return finish(claimed, Delivery.Status.FAILED, reason, this.clock.instant(), null);
		}
		return queueAgain(claimed, this.clock.instant().plus(this.retry.after(claimed.attempts())), claimed.attempts(),
				reason);
	}

	private Mono<Void> queueAgain(Delivery claimed, Instant next, int attempts, String reason) {
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(claimed.id())),
				new Update().set("status", Delivery.Status.QUEUED).set("nextAttemptAt", next).unset("claimedUntil")
					.set("attempts", attempts).set("reason", reason),
				Delivery.class)
			.doOnNext(written -> this.due.offer(claimed.queuedFor(next, attempts, reason)))
			.then();
	}

	/**
	 * Its end, with the report of it in the same write (the outbox, {@link Reports}); failed for good,
	 * the citizen's next channel takes the message.
	 */
	private Mono<Void> finish(Delivery claimed, Delivery.Status status, String reason, Instant at, String providerId) {
		Delivery.Unsent report = this.reports.of(claimed, status, claimed.attempts(), reason, at);
		Update update = new Update().set("status", status).unset("claimedUntil").set("reason", reason)
			.push("unsent", report);
		count(claimed, status.name().toLowerCase(java.util.Locale.ROOT));
		if (status == Delivery.Status.SENT) {
			update.set("sentAt", at);
			if (providerId != null) {
				update.set("providerMessageId", providerId);
			}
			if (claimed.eventAt() != null) {
				Timer.builder("mpp.notification.delivery.latency")
					.description("From the event to its acceptance by the channel's server (SMTP, provider)")
					.tag("channel", claimed.channel().name())
					.tag("urgent", Boolean.toString(claimed.urgent()))
					.publishPercentileHistogram()
					.register(this.meters)
					.record(Duration.between(claimed.eventAt(), at));
			}
		}
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(claimed.id())), update, Delivery.class)
			.doOnNext(written -> this.reports.written(claimed.id(), report))
			.then(status == Delivery.Status.FAILED ? Mono.defer(() -> fallback(claimed)) : Mono.empty());
	}

	/** The message of a delivery failed for good, on the recipient's next channel (once: its id is that channel's). */
	private Mono<Void> fallback(Delivery failed) {
		return this.recipients.of(failed.recipient()).flatMap(recipient -> {
			Channel next = next(recipient, failed.channel());
			if (next == null) {
				return Mono.empty();
			}
			this.meters.counter("mpp.notification.fallbacks", "from", failed.channel().name(), "to", next.name())
				.increment();
			if (failed.kind() == null || failed.variables() == null) {
				// past the retention: what it said is gone, and so is a fallback of it
				return Mono.empty();
			}
			return queue(failed.eventId(), recipient, next, failed.kind(), failed.variables(), failed.urgent(),
					failed.eventAt(), failed.zone());
		});
	}

	/** What a provider's receipt did to its delivery. */
	enum Receipt {

		/** The delivery moved: delivered, or failed (and the next channel took the message). */
		APPLIED,
		/** The delivery had ended already (a second or late receipt): nothing changed. */
		UNCHANGED

	}

	/**
	 * A provider's delivery receipt for the message it accepted as {@code messageId} of delivery
	 * {@code reference}: a receipt naming a delivery this service did not send to that provider under
	 * that id is refused (404); one that comes before the send was recorded is refused for now (409,
	 * the provider posts it again).
	 */
	Mono<Receipt> receipt(Channel channel, String reference, String messageId, boolean delivered, String error) {
		Instant now = this.clock.instant();
		return this.mongo.findById(reference, Delivery.class)
			.filter(delivery -> delivery.channel() == channel
					&& (delivery.providerMessageId() == null || delivery.providerMessageId().equals(messageId)))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No " + channel + " message " + messageId
					+ " was sent by this service under reference " + reference + ".")))
			.flatMap(delivery -> {
				if (delivery.status() == Delivery.Status.DELIVERED || delivery.status() == Delivery.Status.FAILED) {
					return Mono.just(Receipt.UNCHANGED);
				}
				if (delivery.status() != Delivery.Status.SENT) {
					return Mono.error(Problems.conflict("This message's send is not recorded yet; post the receipt again later."));
				}
				Delivery.Status status = delivered ? Delivery.Status.DELIVERED : Delivery.Status.FAILED;
				String reason = delivered ? null : "the provider could not deliver it" + (error == null ? "" : ": " + error);
				Delivery.Unsent report = this.reports.of(delivery, status, delivery.attempts(), reason, now);
				Update update = new Update().set("status", status)
					.set("reason", reason)
					.set("revision", Delivery.revisionOf(delivery.id(), claims(delivery) + 1))
					.push("unsent", report);
				return this.mongo.findAndModify(Query.query(Criteria.where("revision").is(delivery.revision())), update,
						FindAndModifyOptions.options().returnNew(true), Delivery.class)
					.switchIfEmpty(Mono.error(() -> Problems.conflict("The message changed at the same time; post the receipt again.")))
					.flatMap(written -> {
						this.reports.written(written.id(), report);
						count(written, status.name().toLowerCase(java.util.Locale.ROOT));
						return (delivered ? Mono.<Void>empty() : fallback(written)).thenReturn(Receipt.APPLIED);
					});
			});
	}

	/** Attempts by channel and outcome: sent, refused (tried again later), failed (for good). */
	private void count(Delivery delivery, String outcome) {
		this.meters.counter("mpp.notification.deliveries", "channel", delivery.channel().name(), "outcome", outcome)
			.increment();
	}

	/** The deliveries failed for good, newest first, optionally of one channel; and their count by channel and reason. */
	Flux<Delivery> failed(Channel channel) {
		Criteria failed = Criteria.where("status").is(Delivery.Status.FAILED);
		if (channel != null) {
			failed = failed.and("channel").is(channel);
		}
		return this.mongo.find(Query.query(failed).with(org.springframework.data.domain.Sort.by(
				org.springframework.data.domain.Sort.Direction.DESC, "createdAt")), Delivery.class);
	}

	/**
	 * Tries a delivery failed for good once more, with a fresh number of attempts (after the cause was
	 * fixed); false when there is no such failed delivery.
	 */
	Mono<Boolean> retry(String id) {
		Instant now = this.clock.instant();
		return this.mongo.findById(id, Delivery.class)
			.filter(delivery -> delivery.status() == Delivery.Status.FAILED)
			.flatMap(delivery -> this.mongo.findAndModify(Query.query(Criteria.where("revision").is(delivery.revision())),
					new Update().set("status", Delivery.Status.QUEUED).set("attempts", 0).set("nextAttemptAt", now),
					FindAndModifyOptions.options().returnNew(true), Delivery.class))
			.filter(queued -> queued.status() == Delivery.Status.QUEUED)
			.doOnNext(queued -> {
				count(queued, "retried");
				this.due.offer(queued);
			})
			.hasElement();
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
