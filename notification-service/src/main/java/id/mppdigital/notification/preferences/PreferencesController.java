package id.mppdigital.notification.preferences;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.notification.channels.Channel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A citizen's own notification settings ({@code /api/notifications/preferences} through the
 * gateway): language, channels, quiet hours, the email address and the mobile number, each with its
 * one-time code. There is
 * no way to name another citizen's: every call is about the caller.
 */
@RestController
class PreferencesController {

	/** What the citizen sees of their settings (their own contacts in clear: they are theirs). */
	record View(String language, List<Channel> channels, QuietHours quietHours, EmailView email, PhoneView phone) {
	}

	record QuietHours(@NotNull LocalTime from, @NotNull LocalTime to) {
	}

	/** @param codeExpiresAt while unverified: until when the code sent is accepted */
	record EmailView(String address, boolean verified, Instant codeExpiresAt, Integer attemptsLeft) {
	}

	/** @param number E.164, as stored ({@code 0812…} is kept as {@code +62812…}) */
	record PhoneView(String number, boolean verified, Instant codeExpiresAt, Integer attemptsLeft) {
	}

	/** @param channels in the order to try them: a message goes to the first; when it fails there for good, to the next */
	record Choice(@NotNull @Pattern(regexp = "id|en", message = "is id or en") String language,
			@NotNull @Size(max = 3) List<Channel> channels, @Valid QuietHours quietHours) {
	}

	record Address(@NotNull @Size(max = 254) String address) {
	}

	record Number(@NotNull @Size(max = 32) String number) {
	}

	record Code(@NotNull @Pattern(regexp = "\\s*[0-9]{6}\\s*", message = "is the 6 digits sent") String code) {
	}

	private final Recipients recipients;

	PreferencesController(Recipients recipients) {
		this.recipients = recipients;
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Read your notification preferences")
	@GetMapping("/preferences")
	Mono<View> preferences(Caller caller) {
		return this.recipients.preferences(caller.subject()).map(this::view);
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Choose your channels, language and quiet hours")
	@PutMapping("/preferences")
	Mono<View> choose(Caller caller, @Valid @RequestBody Choice choice) {
		QuietHours quiet = choice.quietHours() == null ? new QuietHours(Preferences.QUIET_FROM, Preferences.QUIET_TO)
				: choice.quietHours();
		return this.recipients.choose(caller.subject(), choice.language(), choice.channels(), quiet.from(), quiet.to())
			.map(this::view);
	}

	/** Adds (or replaces) the address and sends a code to it: 202, email stays off until the code is entered. */
	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Add an email address: a code is sent to it")
	@PutMapping("/preferences/email")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<View> addEmail(Caller caller, @Valid @RequestBody Address address) {
		return this.recipients.addContact(caller.subject(), Recipients.Kind.EMAIL, address.address()).map(this::view);
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Verify your email address with its code")
	@ApiResponse(responseCode = "200", description = "Verified: your preferences")
	@ApiResponse(responseCode = "409", description = "Nothing waits for a code, or this code is no longer accepted: add it again")
	@PostMapping("/preferences/email/verification")
	Mono<View> verifyEmail(Caller caller, @Valid @RequestBody Code code) {
		return this.recipients.verify(caller.subject(), Recipients.Kind.EMAIL, code.code()).map(this::view);
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Remove your email address")
	@DeleteMapping("/preferences/email")
	Mono<View> removeEmail(Caller caller) {
		return this.recipients.removeContact(caller.subject(), Recipients.Kind.EMAIL).map(this::view);
	}

	/** Adds (or replaces) the mobile number and sends a code to it by SMS: 202, SMS and WhatsApp stay off until it is entered. */
	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Add a mobile number: a code is sent to it by SMS")
	@PutMapping("/preferences/phone")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<View> addPhone(Caller caller, @Valid @RequestBody Number number) {
		return this.recipients.addContact(caller.subject(), Recipients.Kind.PHONE, number.number()).map(this::view);
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Verify your mobile number with its code")
	@ApiResponse(responseCode = "200", description = "Verified: your preferences")
	@ApiResponse(responseCode = "409", description = "Nothing waits for a code, or this code is no longer accepted: add it again")
	@PostMapping("/preferences/phone/verification")
	Mono<View> verifyPhone(Caller caller, @Valid @RequestBody Code code) {
		return this.recipients.verify(caller.subject(), Recipients.Kind.PHONE, code.code()).map(this::view);
	}

	@Allowed({ Caller.CITIZEN })
	@Operation(summary = "Remove your mobile number")
	@DeleteMapping("/preferences/phone")
	Mono<View> removePhone(Caller caller) {
		return this.recipients.removeContact(caller.subject(), Recipients.Kind.PHONE).map(this::view);
	}

	private View view(Preferences preferences) {
		Preferences.Contact email = preferences.email();
		Preferences.Contact phone = preferences.phone();
		return new View(preferences.language(), preferences.channels(),
				new QuietHours(preferences.quietFrom(), preferences.quietTo()),
				email == null ? null
						: new EmailView(this.recipients.contact(preferences, Recipients.Kind.EMAIL), email.verified(),
								email.codeExpiresAt(), attemptsLeft(email)),
				phone == null ? null
						: new PhoneView(this.recipients.contact(preferences, Recipients.Kind.PHONE), phone.verified(),
								phone.codeExpiresAt(), attemptsLeft(phone)));
	}

	private static Integer attemptsLeft(Preferences.Contact contact) {
		return contact.verified() ? null : Recipients.MAX_ATTEMPTS - contact.attempts();
	}

}
