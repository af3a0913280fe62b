package id.mppdigital.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import id.mppdigital.defaults.webhooks.WebhookSignatures;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.notification.channels.PhoneChannel;
import id.mppdigital.problems.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Delivery receipts from the SMS and WhatsApp providers ({@link ReceiptController}). A receipt is
 * believed only when
 * <ol>
 * <li>it is signed with that provider's receipt secret within five minutes of now
 * ({@code X-Provider-Timestamp}, {@code X-Provider-Signature: v1=<HMAC-SHA256 of "<timestamp>.<body>">},
 * {@link WebhookSignatures}) — else 401;</li>
 * <li>the same signed call was not received before — a replay, refused with 409 on every instance
 * (the signatures seen are kept in the store for twice the tolerance);</li>
 * <li>it names a message this service sent to that provider, under the provider's id for it — else
 * 404 (an unknown receipt); and it has a status the platform knows — else 422.</li>
 * </ol>
 * The provider posting the same receipt again, freshly signed (it got no answer), changes nothing.
 */
@Component
class ProviderReceipts {

	/** A signed call received: its signature's hash, for the replay check, removed after twice the tolerance. */
	@Document("receipt-signatures")
	record Seen(@Id String id, Instant at) {
	}

	private final Deliveries deliveries;

	private final PhoneChannel providers;

	private final ReactiveMongoTemplate mongo;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	ProviderReceipts(Deliveries deliveries, PhoneChannel providers, ReactiveMongoTemplate mongo, JsonMapper json,
			MeterRegistry meters, Clock clock) {
		this.deliveries = deliveries;
		this.providers = providers;
		this.mongo = mongo;
		this.json = json;
		this.meters = meters;
		this.clock = clock;
	}

	/** A receipt as posted: the provider of the path, its two headers and its body as sent. */
	Mono<Deliveries.Receipt> receipt(String provider, String timestamp, String signature, String body) {
		Channel channel = switch (provider) {
			case "sms" -> Channel.SMS;
			case "whatsapp" -> Channel.WHATSAPP;
			default -> null;
		};
		if (channel == null || !this.providers.configured(channel)) {
			return Mono.error(Problems.notFound("No provider '" + provider + "' sends receipts to this service."));
		}
		if (!WebhookSignatures.signedNow(this.providers.callbackSecret(channel), timestamp, signature, body,
				this.clock.instant())) {
			return Mono.error(refused(channel, "unsigned", Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
					"The receipt is not signed with this provider's secret within "
							+ WebhookSignatures.TOLERANCE.toMinutes() + " minutes of now (X-Provider-Timestamp, "
							+ "X-Provider-Signature: v1=<HMAC-SHA256 of \"<timestamp>.<body>\">).")));
		}
		JsonNode receipt;
		try {
			receipt = this.json.readTree(body);
		}
		catch (RuntimeException unreadable) {
			return Mono.error(refused(channel, "unreadable", Problems.unprocessable("body", "is not JSON")));
		}
		String reference = text(receipt, "reference");
		String messageId = text(receipt, "message_id");
		String status = text(receipt, "status");
		if (reference == null || messageId == null
				|| !("delivered".equals(status) || "undeliverable".equals(status) || "failed".equals(status))) {
			return Mono.error(refused(channel, "unreadable", Problems.unprocessable("status",
					"a receipt names its reference, message_id and status (delivered, undeliverable, failed)")));
		}
		return this.mongo.insert(new Seen(sha256(signature), this.clock.instant()))
			.onErrorMap(DuplicateKeyException.class, replay -> refused(channel, "replayed", Problems.conflict(
					"This receipt call was received before; a provider posting it again signs it again.")))
			.then(this.deliveries.receipt(channel, reference, messageId, "delivered".equals(status),
					text(receipt, "error_code")))
			.onErrorResume(failure -> {
				if (failure instanceof ErrorResponseException problem && problem.getStatusCode().value() == 404) {
					return Mono.error(refused(channel, "unknown", problem));
				}
				return Mono.error(failure);
			})
			.doOnNext(outcome -> this.meters.counter("mpp.notification.receipts", "channel", channel.name(), "result",
					outcome.name().toLowerCase(Locale.ROOT)).increment());
	}

	private ErrorResponseException refused(Channel channel, String why, ErrorResponseException problem) {
		this.meters.counter("mpp.notification.receipts", "channel", channel.name(), "result", why).increment();
		return problem;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() || value.asString().isBlank() ? null : value.asString();
	}

	private static String sha256(String signature) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(signature.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
