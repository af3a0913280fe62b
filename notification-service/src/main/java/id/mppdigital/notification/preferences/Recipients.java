package id.mppdigital.notification.preferences;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import id.mppdigital.defaults.privacy.Vault;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.EmailChannel;
import id.mppdigital.notification.channels.PhoneChannel;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Citizens' notification preferences and contacts: what they chose, the one-time codes that verify a
 * contact, and — for the deliveries — where and in which language a citizen is told. Contacts are
 * personal data: stored encrypted ({@code mpp.notification.contact-encryption}, the keys outside the
 * database), never logged.
 */
@Component
@EnableConfigurationProperties(Recipients.Keys.class)
public class Recipients {

	/** How long a one-time code is accepted. */
	static final Duration CODE_VALIDITY = Duration.ofMinutes(10);

	/** How long a code waits for its provider (rate limit, 429, open circuit) before the citizen is told to try later. */
	static final Duration CODE_WAIT = Duration.ofSeconds(5);

	/** Wrong codes allowed for one code; then a new one must be asked for. */
	static final int MAX_ATTEMPTS = 5;

	private static final Pattern PHONE_NUMBER = Pattern.compile("^\\+[1-9][0-9]{7,14}$");

	private static final Pattern EMAIL_ADDRESS = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

	/**
	 * @param keys key id → base64 of 32 random bytes ({@code openssl rand -base64 32})
	 * @param active the key id new contacts are encrypted with
	 */
	@ConfigurationProperties("mpp.notification.contact-encryption")
	record Keys(Map<String, String> keys, String active) {
	}

	/** Where and how one citizen is told, for a delivery: the channels in the citizen's order. */
	public record Recipient(String subject, String language, List<Channel> channels, String email, String phone,
			java.time.LocalTime quietFrom, java.time.LocalTime quietTo) {

		/** The verified contact the channel reaches; null when there is none. */
		public String contact(Channel channel) {
			return channel == Channel.EMAIL ? this.email : this.phone;
		}

	}

	private final SecureRandom random = new SecureRandom();

	private final ReactiveMongoTemplate mongo;

	private final Vault vault;

	private final EmailChannel email;

	private final PhoneChannel phone;

	private final Clock clock;

	Recipients(ReactiveMongoTemplate mongo, Keys keys, EmailChannel email, PhoneChannel phone, Clock clock) {
		this.mongo = mongo;
		this.phone = phone;
		this.vault = new Vault("mpp.notification.contact-encryption", "MPP_CONTACT_KEY", keys.keys(), keys.active());
		this.email = email;
		this.clock = clock;
	}

	/** Who the citizen is to the deliveries: language, the channels opted in (in order), the verified contacts. */
	public Mono<Recipient> of(String subject) {
		return preferences(subject).map(found -> new Recipient(subject, found.language(), found.channels(),
				verified(subject, found.email()), verified(subject, found.phone()), found.quietFrom(), found.quietTo()));
	}

	private String verified(String subject, Preferences.Contact contact) {
		return contact != null && contact.verified() ? this.vault.open(subject, contact.sealed()) : null;
	}

	Mono<Preferences> preferences(String subject) {
		return this.mongo.findById(subject, Preferences.class).defaultIfEmpty(Preferences.defaults(subject));
	}

	/** The contact as the citizen sees it (their own): in clear. */
	String contact(Preferences preferences, Kind kind) {
		Preferences.Contact contact = kind.of(preferences);
		return contact == null ? null : this.vault.open(preferences.id(), contact.sealed());
	}

	/** Language, channels (in order, each once) and quiet hours; a channel needs a verified contact (422 otherwise). */
	Mono<Preferences> choose(String subject, String language, List<Channel> channels, java.time.LocalTime quietFrom,
			java.time.LocalTime quietTo) {
		if (channels.stream().distinct().count() != channels.size()) {
			return Mono.error(Problems.unprocessable("channels", "names a channel twice"));
		}
		return preferences(subject).flatMap(found -> {
			for (Channel channel : channels) {
				Preferences.Contact contact = Kind.of(channel).of(found);
				if (contact == null || !contact.verified()) {
					return Mono.error(Problems.unprocessable("channels",
							channel + " needs a verified " + Kind.of(channel).field + " first: add it and enter the code sent to it"));
				}
			}
			return this.mongo.save(new Preferences(subject, language, List.copyOf(channels), quietFrom, quietTo,
					found.email(), found.phone(), this.clock.instant()));
		});
	}

	/**
	 * A new (or the same) contact, unverified until the code sent to it now is entered; the channels
	 * that need it are off until then. The code is sent first: when it cannot be sent, nothing changes.
	 */
	Mono<Preferences> addContact(String subject, Kind kind, String given) {
		String value;
		try {
			value = kind.normalise(given);
		}
		catch (IllegalArgumentException wrong) {
			return Mono.error(Problems.unprocessable(kind.input, wrong.getMessage()));
		}
		String code = String.format("%06d", this.random.nextInt(1_000_000));
		Instant now = this.clock.instant();
		return preferences(subject).flatMap(found -> {
			Preferences.Contact pending = new Preferences.Contact(this.vault.seal(subject, value), false,
					fingerprint(subject, kind, code), now.plus(CODE_VALIDITY), 0, null);
			return sendCode(kind, value, found.language(), code)
				.then(this.mongo.save(kind.with(found, pending, without(found.channels(), kind), now)));
		});
	}

	private Mono<Void> sendCode(Kind kind, String value, String language, String code) {
		boolean english = "en".equals(language);
		String reference = "code-" + java.util.UUID.randomUUID();
		if (kind == Kind.EMAIL) {
			EmailChannel.Mail mail = new EmailChannel.Mail(reference, value, language,
					english ? "Your MPP Digital code: " + code : "Kode MPP Digital Anda: " + code,
					english ? "Enter " + code + " in the MPP Digital app to confirm this address. The code is valid for "
							+ CODE_VALIDITY.toMinutes() + " minutes. If you did not ask for it, ignore this message."
							: "Masukkan " + code + " di aplikasi MPP Digital untuk mengonfirmasi alamat ini. Kode berlaku "
									+ CODE_VALIDITY.toMinutes() + " menit. Abaikan pesan ini jika Anda tidak memintanya.",
					false);
			return this.email.send(mail)
				.onErrorMap(failure -> Problems.unavailable("The code cannot be sent now; try again in a few minutes."));
		}
		Channel channel = this.phone.configured(Channel.SMS) ? Channel.SMS : Channel.WHATSAPP;
		String text = english
				? "MPP Digital code: " + code + ". Valid for " + CODE_VALIDITY.toMinutes() + " minutes. Never share it."
				: "Kode MPP Digital: " + code + ". Berlaku " + CODE_VALIDITY.toMinutes() + " menit. Jangan berikan kepada siapa pun.";
		return soon(channel, new PhoneChannel.Text(reference, value, text), this.clock.instant().plus(CODE_WAIT))
			.onErrorMap(failure -> failure instanceof PhoneChannel.Refused
					? Problems.unprocessable(kind.input, "cannot receive messages (" + failure.getMessage() + ")")
					: Problems.unavailable("The code cannot be sent now; try again in a few minutes."))
			.then();
	}

	/**
	 * Sends it now, or as soon as the provider's rate limit, 429 or circuit lets it within the
	 * deadline: a citizen waiting for a code waits a few seconds rather than being refused.
	 */
	private Mono<PhoneChannel.Accepted> soon(Channel channel, PhoneChannel.Text text, Instant deadline) {
		return this.phone.send(channel, text).onErrorResume(PhoneChannel.NotNow.class, later -> {
			if (later.at().isAfter(deadline)) {
				return Mono.error(later);
			}
			Duration wait = Duration.between(this.clock.instant(), later.at());
			return Mono.delay(wait.isNegative() ? Duration.ZERO : wait).then(Mono.defer(() -> soon(channel, text, deadline)));
		});
	}

	private String fingerprint(String subject, Kind kind, String code) {
		return this.vault.fingerprint("mpp-contact-code", subject + "\n" + kind.field + "\n" + code);
	}

	/**
	 * The code sent to the contact: right → verified; wrong → 422 and one attempt fewer; after
	 * {@value #MAX_ATTEMPTS} wrong ones, or when it expired, a new code must be asked for (409).
	 */
	Mono<Preferences> verify(String subject, Kind kind, String code) {
		Instant now = this.clock.instant();
		return preferences(subject).flatMap(found -> {
			Preferences.Contact contact = kind.of(found);
			if (contact == null || contact.verified() || contact.code() == null) {
				return Mono.error(Problems.conflict("There is no " + kind.field + " waiting for its code: add it first."));
			}
			if (contact.attempts() >= MAX_ATTEMPTS || now.isAfter(contact.codeExpiresAt())) {
				return Mono.error(Problems.conflict("This code is no longer accepted: add the " + kind.field
						+ " again for a new code."));
			}
			// one attempt at a time: the write is conditional on the attempts read
			boolean right = code != null && java.security.MessageDigest.isEqual(
					fingerprint(subject, kind, code.trim()).getBytes(), contact.code().getBytes());
			Preferences.Contact next = right ? new Preferences.Contact(contact.sealed(), true, null, null, 0, now)
					: new Preferences.Contact(contact.sealed(), false, contact.code(), contact.codeExpiresAt(),
							contact.attempts() + 1, null);
			Query unchanged = Query.query(Criteria.where("_id").is(subject)
				.and(kind.field + ".attempts").is(contact.attempts()).and(kind.field + ".code").is(contact.code()));
			return this.mongo.findAndModify(unchanged, new Update().set(kind.field, next).set("updatedAt", now),
					FindAndModifyOptions.options().returnNew(true), Preferences.class)
				.switchIfEmpty(Mono.error(() -> Problems.conflict("The code was entered at the same time elsewhere; try again.")))
				.flatMap(saved -> right ? Mono.just(saved)
						: Mono.error(Problems.unprocessable("code", "is not the code sent (" + (MAX_ATTEMPTS
								- kind.of(saved).attempts()) + " attempts left)")));
		});
	}

	/** Forgets the contact; the channels that need it are off. */
	Mono<Preferences> removeContact(String subject, Kind kind) {
		return preferences(subject).flatMap(found -> this.mongo
			.save(kind.with(found, null, without(found.channels(), kind), this.clock.instant())));
	}

	private static List<Channel> without(List<Channel> channels, Kind kind) {
		return channels.stream().filter(channel -> !kind.channels.contains(channel)).toList();
	}

	/** The two kinds of contact: an email address (email) and a mobile number (SMS and WhatsApp). */
	enum Kind {

		EMAIL("email", "address", List.of(Channel.EMAIL)), PHONE("phone", "number", List.of(Channel.SMS, Channel.WHATSAPP));

		/** Its field in {@link Preferences} (and the store). */
		final String field;

		/** The request's field that gives it. */
		final String input;

		final List<Channel> channels;

		Kind(String field, String input, List<Channel> channels) {
			this.field = field;
			this.input = input;
			this.channels = channels;
		}

		static Kind of(Channel channel) {
			return channel == Channel.EMAIL ? EMAIL : PHONE;
		}

		Preferences.Contact of(Preferences preferences) {
			return this == EMAIL ? preferences.email() : preferences.phone();
		}

		Preferences with(Preferences found, Preferences.Contact contact, List<Channel> channels, Instant now) {
			return new Preferences(found.id(), found.language(), channels, found.quietFrom(), found.quietTo(),
					this == EMAIL ? contact : found.email(), this == PHONE ? contact : found.phone(), now);
		}

		/** The contact as stored: an address as given (trimmed); a number in E.164 ({@code 0812…} → {@code +62812…}). */
		String normalise(String given) {
			String trimmed = given == null ? "" : given.trim();
			if (this == EMAIL) {
				if (trimmed.length() > 254 || !EMAIL_ADDRESS.matcher(trimmed).matches()) {
					throw new IllegalArgumentException("is not an email address");
				}
				return trimmed;
			}
			String digits = trimmed.replaceAll("[\\s().-]", "");
			if (digits.startsWith("0")) {
				digits = "+62" + digits.substring(1);
			}
			else if (digits.startsWith("62")) {
				digits = "+" + digits;
			}
			if (!PHONE_NUMBER.matcher(digits).matches()) {
				throw new IllegalArgumentException("is not a mobile number (08…, 628… or +<country code>…)");
			}
			return digits;
		}

	}

}
