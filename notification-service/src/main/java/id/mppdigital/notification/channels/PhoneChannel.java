package id.mppdigital.notification.channels;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * SMS and WhatsApp through their providers' HTTP APIs ({@code mpp.notification.providers.sms},
 * {@code .whatsapp}: endpoint, API key, receipt secret, rate, timeout, breaker). Each message is
 * posted with the delivery's id as its {@code reference} and {@code Idempotency-Key}: a provider
 * that sees the same key again answers with the first message and does not send it twice, so a
 * resend after a crash is recognised there. Per provider:
 * <ul>
 * <li>a <b>token bucket</b> (its rate limit): a message over the rate is not sent but {@link NotNow};</li>
 * <li>a <b>429</b> pauses every message to that provider for its {@code Retry-After};</li>
 * <li>a <b>circuit breaker</b> opened by server errors and time-outs (not by a message the provider
 * refuses): while open nothing is posted and every message is {@link NotNow};</li>
 * <li>a 4xx other than 429 is the message's own fault: {@link Refused}, not tried again.</li>
 * </ul>
 */
@Component
@EnableConfigurationProperties(PhoneChannel.Providers.class)
public class PhoneChannel {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PhoneChannel.class);

	/**
	 * @param url the provider's API (messages are posted to {@code <url>/v1/messages})
	 * @param apiKey sent as {@code Authorization: Bearer}
	 * @param callbackSecret what its delivery receipts are signed with
	 * @param rate messages per second it takes (the token bucket's refill)
	 * @param burst messages it takes at once (the bucket's size)
	 */
	public record Provider(URI url, String apiKey, String callbackSecret, @DefaultValue("20") int rate,
			@DefaultValue("20") int burst, @DefaultValue("5s") Duration timeout,
			@DefaultValue("30s") Duration breakerOpen) {
	}

	/**
	 * @param sms the SMS provider
	 * @param whatsapp the WhatsApp provider
	 * @param callbackUrl where providers post delivery receipts: {@code <callbackUrl>/<sms|whatsapp>/receipts}
	 */
	@ConfigurationProperties("mpp.notification.providers")
	public record Providers(Provider sms, Provider whatsapp, String callbackUrl) {
	}

	/** One short message to one number (E.164). */
	public record Text(String reference, String to, String body) {
	}

	/** The provider took it: its id for the message, and whether it had it already (a resend). */
	public record Accepted(String messageId, boolean repeat) {
	}

	/** Not sent, through no fault of the message (rate limit, 429, circuit open): try again at {@code at}. */
	public static final class NotNow extends RuntimeException {

		private final Instant at;

		NotNow(Instant at, String why) {
			super(why, null, false, false);
			this.at = at;
		}

		public Instant at() {
			return this.at;
		}

	}

	/** The provider refused this message for good (a number it cannot send to, content it does not take). */
	public static final class Refused extends RuntimeException {

		Refused(String why) {
			super(why, null, false, false);
		}

	}

	private record Lane(Channel channel, Provider provider, Bucket bucket, CircuitBreaker breaker,
			AtomicReference<Instant> pausedUntil) {
	}

	private final Map<Channel, Lane> lanes = new EnumMap<>(Channel.class);

	private final WebClient web;

	private final Clock clock;

	private final MeterRegistry meters;

	private final String callbackUrl;

	private final JsonMapper json;

	PhoneChannel(Providers providers, WebClient.Builder web, JsonMapper json, Clock clock, MeterRegistry meters) {
		this.web = web.build();
		this.json = json;
		this.clock = clock;
		this.meters = meters;
		this.callbackUrl = providers.callbackUrl();
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
		add(Channel.SMS, providers.sms(), breakers);
		add(Channel.WHATSAPP, providers.whatsapp(), breakers);
	}

	private void add(Channel channel, Provider provider, CircuitBreakerRegistry breakers) {
		if (provider == null || provider.url() == null || provider.url().toString().isBlank()) {
			log.info("No {} provider is configured: {} messages are failed, the next channel takes them", channel, channel);
			return;
		}
		Bucket bucket = Bucket.builder()
			.addLimit(limit -> limit.capacity(Math.max(1, provider.burst()))
				.refillGreedy(Math.max(1, provider.rate()), Duration.ofSeconds(1)))
			.build();
		// a provider's calls are few: the breaker judges the last 10, from the 5th on
		CircuitBreaker breaker = breakers.circuitBreaker("provider-" + name(channel), CircuitBreakerConfig.custom()
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(provider.breakerOpen())
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		this.lanes.put(channel, new Lane(channel, provider, bucket, breaker, new AtomicReference<>(Instant.EPOCH)));
	}

	/** Whether a provider is configured for the channel. */
	public boolean configured(Channel channel) {
		return this.lanes.containsKey(channel);
	}

	/** The secret the channel's provider signs its receipts with; null when none is configured. */
	public String callbackSecret(Channel channel) {
		Lane lane = this.lanes.get(channel);
		return lane == null ? null : lane.provider().callbackSecret();
	}

	/** The breaker's state for the channel's provider (CLOSED, OPEN, HALF_OPEN), for operators and tests. */
	public String circuit(Channel channel) {
		Lane lane = this.lanes.get(channel);
		return lane == null ? "NONE" : lane.breaker().getState().name();
	}

	/**
	 * Posts the message; completes with the provider's id for it, or fails with {@link NotNow},
	 * {@link Refused}, or any other error for a failure worth trying again (server error, time-out).
	 */
	public Mono<Accepted> send(Channel channel, Text text) {
		Lane lane = this.lanes.get(channel);
		if (lane == null) {
			return Mono.error(new Refused("no " + channel + " provider is configured"));
		}
		Instant now = this.clock.instant();
		Instant paused = lane.pausedUntil().get();
		if (paused.isAfter(now)) {
			return Mono.error(new NotNow(paused, "the provider asked to wait (429)"));
		}
		ConsumptionProbe probe = lane.bucket().tryConsumeAndReturnRemaining(1);
		if (!probe.isConsumed()) {
			return Mono.error(new NotNow(now.plusNanos(Math.max(1_000_000, probe.getNanosToWaitForRefill())),
					"over the provider's rate"));
		}
		if (!lane.breaker().tryAcquirePermission()) {
			error(lane, "circuit-open");
			return Mono.error(new NotNow(now.plus(lane.provider().breakerOpen()), "the provider's circuit is open"));
		}
		long started = System.nanoTime();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("channel", name(channel));
		body.put("to", text.to());
		body.put("text", text.body());
		body.put("reference", text.reference());
		if (this.callbackUrl != null && !this.callbackUrl.isBlank()) {
			body.put("callback_url", this.callbackUrl + "/" + name(channel) + "/receipts");
		}
		return this.web.post()
			.uri(lane.provider().url().toString().replaceAll("/+$", "") + "/v1/messages")
			.header("Authorization", "Bearer " + lane.provider().apiKey())
			.header("Idempotency-Key", text.reference())
			.bodyValue(body)
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.flatMap(answer -> answered(lane, response.statusCode(),
						response.headers().asHttpHeaders().getFirst("Retry-After"), parse(answer))))
			.timeout(lane.provider().timeout())
			.doOnSuccess(accepted -> lane.breaker().onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS))
			.doOnError(failure -> {
				long took = System.nanoTime() - started;
				if (failure instanceof Refused) {
					// the provider works; it does not take this message
					lane.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
				}
				else if (failure instanceof NotNow) {
					lane.breaker().releasePermission();
				}
				else {
					error(lane, failure instanceof java.util.concurrent.TimeoutException ? "timeout" : "server");
					lane.breaker().onError(took, TimeUnit.NANOSECONDS, failure);
				}
			});
	}

	private Mono<Accepted> answered(Lane lane, HttpStatusCode status, String retryAfter, JsonNode answer) {
		if (status.is2xxSuccessful()) {
			JsonNode id = answer.get("id");
			if (id == null || id.asString().isBlank()) {
				return Mono.error(new IllegalStateException("the provider answered " + status.value() + " without an id"));
			}
			JsonNode duplicate = answer.get("duplicate");
			return Mono.just(new Accepted(id.asString(), duplicate != null && duplicate.asBoolean()));
		}
		String said = status.value() + (answer.get("error") == null ? "" : " " + answer.get("error").asString());
		if (status.value() == 429) {
			error(lane, "throttled");
			Instant until = this.clock.instant().plus(retryAfter(retryAfter));
			lane.pausedUntil().accumulateAndGet(until, (held, asked) -> asked.isAfter(held) ? asked : held);
			return Mono.error(new NotNow(until, "the provider answered 429"));
		}
		if (status.is4xxClientError()) {
			error(lane, "refused");
			return Mono.error(new Refused("the provider refused it: " + said));
		}
		return Mono.error(new IllegalStateException("the provider answered " + said));
	}

	/** The provider's answer as JSON, whatever it says its type is; an empty object when it is not JSON. */
	private JsonNode parse(String answer) {
		try {
			JsonNode node = answer.isBlank() ? null : this.json.readTree(answer);
			return node == null || !node.isObject() ? this.json.createObjectNode() : node;
		}
		catch (RuntimeException notJson) {
			return this.json.createObjectNode();
		}
	}

	/** {@code Retry-After} in seconds (an HTTP date is taken as 30 s); 1 s when absent, at most an hour. */
	private static Duration retryAfter(String header) {
		if (header == null || !header.trim().matches("[0-9]{1,6}")) {
			return header == null ? Duration.ofSeconds(1) : Duration.ofSeconds(30);
		}
		long seconds = Long.parseLong(header.trim());
		return Duration.ofSeconds(Math.max(1, Math.min(3600, seconds)));
	}

	private void error(Lane lane, String kind) {
		this.meters.counter("mpp.notification.provider.errors", "channel", lane.channel().name(), "kind", kind)
			.increment();
	}

	private static String name(Channel channel) {
		return channel.name().toLowerCase(Locale.ROOT);
	}

}
