package id.mppdigital.simulators;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An SMS and WhatsApp provider as the platform meets one, on loopback: a real HTTP server (WireMock)
 * speaking a provider-like API, for notification-service's tests and the local stack.
 * <ul>
 * <li>{@code POST /v1/messages} with {@code Authorization: Bearer <api key>} and a JSON body
 * {@code {"channel": "sms"|"whatsapp", "to": "+62…", "text": "…", "reference": "…", "callback_url": "…"}}:
 * {@code 202 {"id": "msg_…", "status": "accepted"}}. The {@code reference} is the sender's key: a
 * message sent again with a reference already accepted is not sent twice — the answer is
 * {@code 200} with the first message's id and {@code "duplicate": true}. A number that is not E.164
 * → {@code 400 invalid_number}; no or a wrong key → {@code 401}.</li>
 * <li>After a delay, a <b>delivery receipt</b> is posted to the message's {@code callback_url}:
 * {@code {"id": "rcpt_…", "message_id", "reference", "channel", "status": "delivered"|"undeliverable",
 * "error_code", "at"}}, signed with the callback secret — {@code X-Provider-Timestamp} (Unix seconds),
 * {@code X-Provider-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">} — and posted again
 * (new timestamp, new signature, same receipt id) while the callback does not answer 2xx, up to 8
 * times with a doubling pause. Numbers starting with {@value #UNREACHABLE_PREFIX} are accepted but
 * never reach a phone: their receipt is {@code undeliverable}.</li>
 * </ul>
 * Tests add their own stubs in front ({@link #server()}: a 503, a 429 with {@code Retry-After}, a
 * slow answer) and count what arrived: {@link #sent(String)} per reference, as the provider's own
 * ground truth for "nothing lost, nothing twice".
 */
public final class MessageProvider implements AutoCloseable {

	public static final String TIMESTAMP_HEADER = "X-Provider-Timestamp";

	public static final String SIGNATURE_HEADER = "X-Provider-Signature";

	/** Numbers the simulated networks cannot reach: accepted, then an undeliverable receipt. */
	public static final String UNREACHABLE_PREFIX = "+62899";

	private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{7,14}$");

	private static final String ACCEPT = "provider-accept";

	/** One message the provider accepted. */
	public record Message(String id, String reference, String channel, String to, String text, Instant at) {
	}

	/** A receipt as it was last posted (to replay it byte for byte in a test). */
	public record SignedReceipt(URI to, String timestamp, String signature, String body) {
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WireMockServer server;

	private final byte[] callbackSecret;

	private final Duration receiptDelay;

	private final Map<String, Message> byReference = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();

	private final Map<String, SignedReceipt> lastReceipts = new ConcurrentHashMap<>();

	private final AtomicInteger receiptsAcknowledged = new AtomicInteger();

	private final List<Message> messages = java.util.Collections.synchronizedList(new ArrayList<>());

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final ScheduledExecutorService receipts = Executors.newScheduledThreadPool(2, runnable -> {
		Thread thread = new Thread(runnable, "provider-receipts");
		thread.setDaemon(true);
		return thread;
	});

	private MessageProvider(int port, String apiKey, String callbackSecret, Duration receiptDelay) {
		this.callbackSecret = callbackSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		this.receiptDelay = receiptDelay;
		this.server = new WireMockServer(WireMockConfiguration.options()
			.bindAddress("127.0.0.1")
			.port(port)
			.containerThreads(16)
			.maxRequestJournalEntries(1000)
			.extensions(new Accept()));
		this.server.start();
		this.server.stubFor(WireMock.post("/v1/messages")
			.atPriority(10)
			.withHeader("Authorization", WireMock.equalTo("Bearer " + apiKey))
			.willReturn(WireMock.aResponse().withTransformers(ACCEPT)));
		this.server.stubFor(WireMock.post("/v1/messages")
			.atPriority(20)
			.willReturn(json(401, Map.of("error", "unauthorized", "detail", "Authorization: Bearer <api key>"))));
	}

	/** Starts it on 127.0.0.1 ({@code port} 0: any free one). */
	public static MessageProvider start(int port, String apiKey, String callbackSecret, Duration receiptDelay) {
		return new MessageProvider(port, apiKey, callbackSecret, receiptDelay);
	}

	public int port() {
		return this.server.port();
	}

	/** The WireMock server, for a test's own stubs (priority below 10 goes first) and its journal. */
	public WireMockServer server() {
		return this.server;
	}

	/** How often a message with this reference was posted (accepted or answered as a duplicate). */
	public int posted(String reference) {
		AtomicInteger count = this.posts.get(reference);
		return count == null ? 0 : count.get();
	}

	/** How many messages with this reference were really sent to a phone: 0 or 1. */
	public int sent(String reference) {
		return this.byReference.containsKey(reference) ? 1 : 0;
	}

	/** Every message sent, in order. */
	public List<Message> messages() {
		synchronized (this.messages) {
			return List.copyOf(this.messages);
		}
	}

	/** The last message sent to a number. */
	public Optional<Message> lastTo(String number) {
		List<Message> all = messages();
		for (int n = all.size() - 1; n >= 0; n--) {
			if (all.get(n).to().equals(number)) {
				return Optional.of(all.get(n));
			}
		}
		return Optional.empty();
	}

	/** Receipts the callback took (2xx). */
	public int receiptsAcknowledged() {
		return this.receiptsAcknowledged.get();
	}

	/** The receipt last posted for a reference, exactly as it was sent. */
	public Optional<SignedReceipt> lastReceipt(String reference) {
		return Optional.ofNullable(this.lastReceipts.get(reference));
	}

	/** Posts a receipt exactly as it was posted before (a replay); the callback's status. */
	public int replay(SignedReceipt receipt) {
		return post(receipt);
	}

	/** Posts a receipt signed with a secret of the caller's choosing (a forgery); the callback's status. */
	public int forge(URI callback, String body, String secret) {
		String timestamp = Long.toString(Instant.now().getEpochSecond());
		return post(new SignedReceipt(callback, timestamp,
				WebhookSignature.sign(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), timestamp, body), body));
	}

	private final class Accept implements ResponseDefinitionTransformerV2 {

		@Override
		public String getName() {
			return ACCEPT;
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public ResponseDefinition transform(ServeEvent event) {
			JsonNode body;
			try {
				body = JSON.readTree(event.getRequest().getBodyAsString());
			}
			catch (RuntimeException unreadable) {
				return json(400, Map.of("error", "invalid_request", "detail", "the body is not JSON")).build();
			}
			String channel = text(body, "channel");
			String to = text(body, "to");
			String text = text(body, "text");
			String reference = text(body, "reference");
			String callback = text(body, "callback_url");
			if (!("sms".equals(channel) || "whatsapp".equals(channel)) || text == null || text.isEmpty()
					|| text.length() > 1600 || reference == null || reference.isEmpty()) {
				return json(400, Map.of("error", "invalid_request",
						"detail", "channel (sms, whatsapp), text (1-1600 characters) and reference are required")).build();
			}
			if (to == null || !E164.matcher(to).matches()) {
				return json(400, Map.of("error", "invalid_number", "detail", "to is not an E.164 number")).build();
			}
			MessageProvider.this.posts.computeIfAbsent(reference, key -> new AtomicInteger()).incrementAndGet();
			Message fresh = new Message("msg_" + UUID.randomUUID().toString().replace("-", ""), reference, channel, to,
					text, Instant.now());
			Message first = MessageProvider.this.byReference.putIfAbsent(reference, fresh);
			if (first != null) {
				return json(200, Map.of("id", first.id(), "status", "accepted", "duplicate", true)).build();
			}
			MessageProvider.this.messages.add(fresh);
			if (callback != null && !callback.isBlank()) {
				scheduleReceipt(fresh, URI.create(callback), 1, MessageProvider.this.receiptDelay.toMillis());
			}
			return json(202, Map.of("id", fresh.id(), "status", "accepted")).build();
		}

	}

	private static String text(JsonNode body, String field) {
		JsonNode value = body == null ? null : body.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	private void scheduleReceipt(Message message, URI callback, int attempt, long delayMillis) {
		String receiptId = "rcpt_" + UUID.nameUUIDFromBytes(message.id().getBytes()).toString().replace("-", "");
		this.receipts.schedule(() -> {
			boolean reached = !message.to().startsWith(UNREACHABLE_PREFIX);
			Map<String, Object> receipt = new LinkedHashMap<>();
			receipt.put("id", receiptId);
			receipt.put("message_id", message.id());
			receipt.put("reference", message.reference());
			receipt.put("channel", message.channel());
			receipt.put("status", reached ? "delivered" : "undeliverable");
			receipt.put("error_code", reached ? null : "unreachable");
			receipt.put("at", Instant.now().toString());
			String body = JSON.writeValueAsString(receipt);
			String timestamp = Long.toString(Instant.now().getEpochSecond());
			SignedReceipt signed = new SignedReceipt(callback, timestamp,
					WebhookSignature.sign(this.callbackSecret, timestamp, body), body);
			this.lastReceipts.put(message.reference(), signed);
			int status = post(signed);
			if (status / 100 == 2) {
				this.receiptsAcknowledged.incrementAndGet();
			}
			else if (attempt < 8) {
				scheduleReceipt(message, callback, attempt + 1, Math.min(30_000, 1000L << (attempt - 1)));
			}
		}, delayMillis, TimeUnit.MILLISECONDS);
	}

	private int post(SignedReceipt receipt) {
		try {
			HttpRequest request = HttpRequest.newBuilder(receipt.to())
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/json")
				.header(TIMESTAMP_HEADER, receipt.timestamp())
				.header(SIGNATURE_HEADER, receipt.signature())
				.POST(HttpRequest.BodyPublishers.ofString(receipt.body()))
				.build();
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (java.io.IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, Map<String, ?> body) {
		return WireMock.aResponse()
			.withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(JSON.writeValueAsString(body));
	}

	@Override
	public void close() {
		this.receipts.shutdownNow();
		this.server.stop();
	}

}
