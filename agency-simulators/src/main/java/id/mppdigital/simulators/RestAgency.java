package id.mppdigital.simulators;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A modern agency back office with a REST API, as an agency would run it (the demo's Dukcapil):
 * {@code POST /applications} with an {@code Idempotency-Key} takes an application once (a repeat
 * of the key answers with the same reference), and decisions are reported back by a signed webhook
 * to the platform's adapter: received (with the agency's reference), in process, approved,
 * completed, each {@code reportDelay} after the last. An application whose name is {@code TOLAK}
 * is refused as content the agency cannot take (422).
 * <p>
 * Behaviour can be changed while it runs ({@link #mode}): slow, failing (500) or down (503). It
 * counts what it received per application — the ground truth for "nothing lost, nothing twice".
 */
public final class RestAgency implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RestAgency.class);

	/** How the back office behaves right now. */
	public enum Mode {
		NORMAL, SLOW, FAILING, DOWN,
		/** takes the application, but its answer comes too late: the caller cannot know it was taken */
		ANSWER_LOST
	}

	private final String agencyId;

	private volatile URI webhook;

	private final byte[] secret;

	private final Duration reportDelay;

	private final JsonMapper json = JsonMapper.builder().build();

	private final DisposableServer server;

	private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "rest-agency-reports");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** application id → times a new application was created for it (more than 1 is a duplicate) */
	private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();

	/** idempotency key → the reference it was answered with */
	private final Map<String, String> keys = new ConcurrentHashMap<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong references = new AtomicLong();

	private volatile Mode mode = Mode.NORMAL;

	private volatile Duration slowBy = Duration.ofSeconds(10);

	/** Whether it refuses applicants named {@code TOLAK} (the poison case); false once the "fix" is in. */
	private volatile boolean refusing = true;

	private RestAgency(String agencyId, int port, URI webhook, String secret, Duration reportDelay) {
		this.agencyId = agencyId;
		this.webhook = webhook;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.reportDelay = reportDelay;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route(routes -> routes.post("/applications", this::receive)
				.get("/control/counts", (request, response) -> json(response, 200, counts())))
			.bindNow();
		log.info("{} REST back office on http://127.0.0.1:{}, reporting to {}", agencyId, this.server.port(), webhook);
	}

	/**
	 * @param port 0 for any free port
	 * @param webhook where it reports (the adapter's {@code /agencies/<id>/reports})
	 * @param secret the webhook signing secret it shares with the adapter
	 */
	public static RestAgency start(String agencyId, int port, URI webhook, String secret, Duration reportDelay) {
		return new RestAgency(agencyId, port, webhook, secret, reportDelay);
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** Where it reports from now on (a test learns the adapter's port only once it started). */
	public void webhook(URI webhook) {
		this.webhook = webhook;
	}

	public void mode(Mode mode) {
		this.mode = mode;
	}

	/** Whether applicants named {@code TOLAK} are refused (true until the agency fixed its side). */
	public void refusing(boolean refusing) {
		this.refusing = refusing;
	}

	/** How long each call takes in {@link Mode#SLOW}. */
	public void slowBy(Duration delay) {
		this.slowBy = delay;
	}

	/** Applications it took (each once, however often it was sent). */
	public int applications() {
		return this.created.size();
	}

	/** Applications created more than once: a delivery applied twice. */
	public long duplicates() {
		return this.created.values().stream().filter(count -> count.get() > 1).count();
	}

	/** Every delivery attempt that reached it, repeats included. */
	public long requests() {
		return this.requests.get();
	}

	public boolean received(String applicationId) {
		return this.created.containsKey(applicationId);
	}

	private ObjectNode counts() {
		ObjectNode counts = this.json.createObjectNode();
		counts.put("agency", this.agencyId)
			.put("applications", applications())
			.put("duplicates", duplicates())
			.put("requests", requests());
		return counts;
	}

	private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
			Mode now = this.mode;
			Mono<Void> delay = (now == Mode.SLOW) ? Mono.delay(this.slowBy).then() : Mono.empty();
			return delay.then(Mono.defer(() -> {
				if (now == Mode.DOWN) {
					return text(response, 503, "down for maintenance");
				}
				if (now == Mode.FAILING) {
					return text(response, 500, "internal error");
				}
				String key = request.requestHeaders().get("Idempotency-Key");
				if (key == null || key.isBlank()) {
					return text(response, 400, "Idempotency-Key required");
				}
				JsonNode application;
				try {
					application = this.json.readTree(body);
				}
				catch (RuntimeException ex) {
					return text(response, 400, "not JSON");
				}
				String applicationId = application.path("applicationId").asString("");
				if (applicationId.isEmpty()) {
					return text(response, 422, "applicationId missing");
				}
				if (this.refusing && "TOLAK".equals(application.path("form").path("nama").asString(""))) {
					return text(response, 422, "the applicant's data cannot be processed");
				}
				String[] reference = { this.keys.get(key) };
				boolean fresh = false;
				if (reference[0] == null) {
					synchronized (this.keys) {
						reference[0] = this.keys.get(key);
						if (reference[0] == null) {
							reference[0] = this.agencyId.toUpperCase(java.util.Locale.ROOT) + "-"
									+ String.format("%07d", this.references.incrementAndGet());
							this.keys.put(key, reference[0]);
							this.created.computeIfAbsent(applicationId, any -> new AtomicInteger()).incrementAndGet();
							fresh = true;
						}
					}
				}
				if (fresh) {
					report(applicationId, reference[0]);
				}
				ObjectNode answer = this.json.createObjectNode().put("reference", reference[0])
					.put("applicationId", applicationId);
				Mono<Void> late = (now == Mode.ANSWER_LOST) ? Mono.delay(Duration.ofSeconds(30)).then() : Mono.empty();
				return late.then(json(response, fresh ? 201 : 200, answer));
			}));
		});
	}

	/** What a back office reports of an application it took, in this order, one report delay apart. */
	static final List<String> REPORTS = List.of("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");

	/** Received (with the reference), in process, approved, completed: each one report delay after the last. */
	private void report(String applicationId, String reference) {
		long delay = this.reportDelay.toMillis();
		for (int i = 0; i < REPORTS.size(); i++) {
			int sequence = i + 1;
			String status = REPORTS.get(i);
			this.reporter.schedule(() -> send(applicationId, reference, sequence, status), sequence * delay,
					TimeUnit.MILLISECONDS);
		}
	}

	private void send(String applicationId, String reference, int sequence, String status) {
		ObjectNode report = this.json.createObjectNode()
			.put("reportId", reference + "-" + sequence)
			.put("applicationId", applicationId)
			.put("status", status)
			.put("at", Instant.now().toString())
			.put("sequence", sequence)
			.put("agencyReference", reference);
		if ("COMPLETED".equals(status)) {
			report.put("collection", "Ambil di loket " + this.agencyId + " MPP dengan membawa tanda terima.");
		}
		String body = this.json.writeValueAsString(report);
		// the agency's own delivery: tried again every few seconds until the adapter takes it
		for (int attempt = 1; attempt <= 20; attempt++) {
			try {
				String timestamp = Long.toString(Instant.now().getEpochSecond());
				HttpResponse<String> answer = this.http.send(HttpRequest.newBuilder(this.webhook)
					.timeout(Duration.ofSeconds(5))
					.header("Content-Type", "application/json")
					.header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
					.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(this.secret, timestamp, body))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() / 100 == 2) {
					return;
				}
				log.warn("{}: the adapter answered {} to report {}: {}", this.agencyId, answer.statusCode(),
						reference + "-" + sequence, answer.body());
				if (answer.statusCode() / 100 == 4 && answer.statusCode() != 429) {
					return;
				}
			}
			catch (Exception ex) {
				log.debug("{}: report {} not delivered yet: {}", this.agencyId, reference + "-" + sequence, ex.toString());
			}
			sleep(Duration.ofSeconds(Math.min(10, attempt)));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Mono<Void> json(HttpServerResponse response, int status, JsonNode body) {
		return response.status(status).header("Content-Type", "application/json")
			.sendString(Mono.just(this.json.writeValueAsString(body))).then();
	}

	private static Mono<Void> text(HttpServerResponse response, int status, String body) {
		return response.status(status).header("Content-Type", "text/plain").sendString(Mono.just(body)).then();
	}

	@Override
	public void close() {
		this.reporter.shutdownNow();
		this.server.disposeNow();
	}

}
