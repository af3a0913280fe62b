package id.mppdigital.notification.preferences;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import id.mppdigital.defaults.privacy.Vault;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.EmailChannel;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
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

	/** Wrong codes allowed for one code; then a new one must be asked for. */
	static final int MAX_ATTEMPTS = 5;

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

	/**
	 * @param keys key id → base64 of 32 random bytes ({@code openssl rand -base64 32})
	 * @param active the key id new contacts are encrypted with
	 */
	@ConfigurationProperties("mpp.notification.contact-encryption")
	record Keys(Map<String, String> keys, String active) {
	}

	/** Where and how one citizen is told, for a delivery. */
	public record Recipient(String subject, String language, Set<Channel> channels, String email) {
	}

	private final SecureRandom random = new SecureRandom();

	private final ReactiveMongoTemplate mongo;

	private final Vault vault;

	private final EmailChannel email;

	private final Clock clock;

	Recipients(ReactiveMongoTemplate mongo, Keys keys, EmailChannel email, Clock clock) {
		this.mongo = mongo;
		this.vault = new Vault("mpp.notification.contact-encryption", "MPP_CONTACT_KEY", keys.keys(), keys.active());
		this.email = email;
		this.clock = clock;
	}

	/** Who the citizen is to the deliveries: language, the channels opted in, the verified address. */
	public Mono<Recipient> of(String subject) {
		return preferences(subject).map(found -> new Recipient(subject, found.language(), found.channels(),
				found.email() != null && found.email().verified() ? this.vault.open(subject, found.email().sealed()) : null));
	}

	Mono<Preferences> preferences(String subject) {
		return this.mongo.findById(subject, Preferences.class).defaultIfEmpty(Preferences.defaults(subject));
	}

	/** The address as the citizen sees it (their own): in clear. */
	String address(Preferences preferences) {
		return preferences.email() == null ? null : this.vault.open(preferences.id(), preferences.email().sealed());
	}

	/** Language, channels and quiet hours; a channel needs a verified contact (422 otherwise). */
	Mono<Preferences> choose(String subject, String language, Set<Channel> channels, java.time.LocalTime quietFrom,
			java.time.LocalTime quietTo) {
		return preferences(subject).flatMap(found -> {
			Set<Channel> chosen = channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels);
			for (Channel channel : chosen) {
				if (!verified(found, channel)) {
					return Mono.error(Problems.unprocessable("channels",
							channel + " needs a verified contact first: add it and enter the code sent to it"));
				}
			}
			return this.mongo.save(new Preferences(subject, language, chosen, quietFrom, quietTo, found.email(),
					this.clock.instant()));
		});
	}

	private static boolean verified(Preferences preferences, Channel channel) {
		return channel == Channel.EMAIL && preferences.email() != null && preferences.email().verified();
	}

	/**
	 * A new (or the same) email address, unverified until the code sent to it now is entered; email is
	 * off until then. The code is sent first: when the mail server refuses, nothing changes.
	 */
	Mono<Preferences> addEmail(String subject, String address) {
		String trimmed = address == null ? "" : address.trim();
		if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
			return Mono.error(Problems.unprocessable("address", "is not an email address"));
		}
		String code = String.format("%06d", this.random.nextInt(1_000_000));
		Instant now = this.clock.instant();
		return preferences(subject).flatMap(found -> {
			String language = found.language();
			EmailChannel.Mail mail = new EmailChannel.Mail("code-" + java.util.UUID.randomUUID(), trimmed, language,
					"en".equals(language) ? "Your MPP Digital code: " + code : "Kode MPP Digital Anda: " + code,
					"en".equals(language)
							? "Enter " + code + " in the MPP Digital app to confirm this address. The code is valid for "
									+ CODE_VALIDITY.toMinutes() + " minutes. If you did not ask for it, ignore this message."
							: "Masukkan " + code + " di aplikasi MPP Digital untuk mengonfirmasi alamat ini. Kode berlaku "
									+ CODE_VALIDITY.toMinutes() + " menit. Abaikan pesan ini jika Anda tidak memintanya.",
					false);
			Set<Channel> channels = without(found.channels(), Channel.EMAIL);
			Preferences.Contact pending = new Preferences.Contact(this.vault.seal(subject, trimmed), false,
					this.vault.fingerprint("mpp-contact-code", subject + "\n" + code), now.plus(CODE_VALIDITY), 0, null);
			return this.email.send(mail)
				.onErrorMap(failure -> Problems.unavailable("The code cannot be sent now; try again in a few minutes."))
				.then(this.mongo.save(new Preferences(subject, found.language(), channels, found.quietFrom(),
						found.quietTo(), pending, now)));
		});
	}

	/**
	 * The code sent to the address: right → verified; wrong → 422 and one attempt fewer; after
	 * {@value #MAX_ATTEMPTS} wrong ones, or when it expired, a new code must be asked for (409).
	 */
	Mono<Preferences> verifyEmail(String subject, String code) {
		Instant now = this.clock.instant();
		return preferences(subject).flatMap(found -> {
			Preferences.Contact email = found.email();
			if (email == null || email.verified() || email.code() == null) {
				return Mono.error(Problems.conflict("There is no address waiting for its code: add the address first."));
			}
			if (email.attempts() >= MAX_ATTEMPTS || now.isAfter(email.codeExpiresAt())) {
				return Mono.error(Problems.conflict("This code is no longer accepted: add the address again for a new code."));
			}
			// one attempt at a time: the write is conditional on the attempts read
			boolean right = code != null && java.security.MessageDigest.isEqual(
					this.vault.fingerprint("mpp-contact-code", subject + "\n" + code.trim()).getBytes(),
					email.code().getBytes());
			Preferences.Contact next = right ? new Preferences.Contact(email.sealed(), true, null, null, 0, now)
					: new Preferences.Contact(email.sealed(), false, email.code(), email.codeExpiresAt(), email.attempts() + 1, null);
			org.springframework.data.mongodb.core.query.Query unchanged = org.springframework.data.mongodb.core.query.Query
				.query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(subject)
					.and("email.attempts").is(email.attempts()).and("email.code").is(email.code()));
			return this.mongo.findAndModify(unchanged,
					new org.springframework.data.mongodb.core.query.Update().set("email", next).set("updatedAt", now),
					org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true), Preferences.class)
				.switchIfEmpty(Mono.error(() -> Problems.conflict("The code was entered at the same time elsewhere; try again.")))
				.flatMap(saved -> right ? Mono.just(saved)
						: Mono.error(Problems.unprocessable("code", "is not the code sent to this address ("
								+ (MAX_ATTEMPTS - saved.email().attempts()) + " attempts left)")));
		});
	}

	/** Forgets the address; email is off. */
	Mono<Preferences> removeEmail(String subject) {
		return preferences(subject).flatMap(found -> this.mongo.save(new Preferences(subject, found.language(),
				without(found.channels(), Channel.EMAIL), found.quietFrom(), found.quietTo(), null, this.clock.instant())));
	}

	private static Set<Channel> without(Set<Channel> channels, Channel off) {
		Set<Channel> left = EnumSet.noneOf(Channel.class);
		left.addAll(channels);
		left.remove(off);
		return left;
	}

}
