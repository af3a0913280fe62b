package id.mppdigital.simulators;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * Its {@link BackOffice} can be told to be slow, failing (500) or down (503), and counts what it
 * received per application — the ground truth for "nothing lost, nothing twice".
 */
public final class RestAgency implements SimulatedAgency {

	private static final Logger log = LoggerFactory.getLogger(RestAgency.class);

	private final BackOffice office;

	private volatile URI webhook;

	private final byte[] secret;

	private final JsonMapper json = JsonMapper.builder().build();

	private final DisposableServer server;

	/**
	 * the agency's own webhook calls, each tried again until the adapter takes it: several at once,
	 * but one application's always on the same sender, so they arrive in order
	 */
	private final ExecutorService[] senders = new ExecutorService[8];

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private RestAgency(String agencyId, int port, URI webhook, String secret, Duration reportDelay) {
		this.office = new BackOffice(agencyId, reportDelay);
		for (int i = 0; i < this.senders.length; i++) {
			this.senders[i] = Executors.newSingleThreadExecutor(runnable -> {
				Thread thread = new Thread(runnable, "rest-agency-webhook");
				thread.setDaemon(true);
				return thread;
			});
		}
		this.webhook = webhook;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route(routes -> routes.post("/applications", this::receive)
				.get("/control/counts", (request, response) -> response.status(200)
					.header("Content-Type", "application/json")
					.sendString(Mono.just(this.office.countsJson()))
					.then())
				// a demo or a benchmark takes the back office down and brings it back (loopback only)
				.post("/control/mode/{mode}", (request, response) -> {
					try {
						this.office.mode(BackOffice.Mode.valueOf(request.param("mode")));
					}
					catch (IllegalArgumentException unknown) {
						return text(response, 400, "modes: NORMAL, SLOW, FAILING, DOWN, ANSWER_LOST");
					}
					return text(response, 200, this.office.mode().name());
				})
				// a benchmark lets the back office register a backlog first and decide on it afterwards
				.post("/control/decisions/{when}", (request, response) -> switch (request.param("when")) {
					case "HOLD" -> {
						this.office.holdDecisions(true);
						yield text(response, 200, "HOLD");
					}
					case "NOW" -> {
						this.office.holdDecisions(false);
						yield text(response, 200, "NOW");
					}
					default -> text(response, 400, "decisions: HOLD, NOW");
				}))
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

	@Override
	public BackOffice office() {
		return this.office;
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** Where it reports from now on (a test learns the adapter's port only once it started). */
	public void webhook(URI webhook) {
		this.webhook = webhook;
	}

	private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
		this.office.request();
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
			BackOffice.Mode now = this.office.mode();
			Mono<Void> delay = (now == BackOffice.Mode.SLOW) ? Mono.delay(this.office.slowBy()).then() : Mono.empty();
			return delay.then(Mono.defer(() -> {
				if (now == BackOffice.Mode.DOWN) {
					return text(response, 503, "down for maintenance");
				}
				if (now == BackOffice.Mode.FAILING) {
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
				BackOffice.Taken taken;
				try {
					taken = this.office.take(applicationId, key, application.path("form").path("nama").asString(""),
							step -> this.senders[Math.floorMod(step.applicationId().hashCode(), this.senders.length)]
								.execute(() -> send(step)));
				}
				catch (BackOffice.Refusal refusal) {
					return text(response, 422, refusal.getMessage());
				}
				ObjectNode answer = this.json.createObjectNode().put("reference", taken.reference())
					.put("applicationId", applicationId);
				Mono<Void> late = (now == BackOffice.Mode.ANSWER_LOST) ? Mono.delay(Duration.ofSeconds(30)).then()
						: Mono.empty();
				return late.then(response.status(taken.fresh() ? 201 : 200)
					.header("Content-Type", "application/json")
					.sendString(Mono.just(this.json.writeValueAsString(answer)))
					.then());
			}));
		});
	}

	private void send(BackOffice.Status step) {
		String body = step.json(this.json);
		String agencyId = this.office.agencyId();
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
				log.warn("{}: the adapter answered {} to report {}: {}", agencyId, answer.statusCode(), step.reportId(),
						answer.body());
				if (answer.statusCode() / 100 == 4 && answer.statusCode() != 429) {
					return;
				}
			}
			catch (Exception ex) {
				log.debug("{}: report {} not delivered yet: {}", agencyId, step.reportId(), ex.toString());
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

	private static Mono<Void> text(HttpServerResponse response, int status, String body) {
		return response.status(status).header("Content-Type", "text/plain").sendString(Mono.just(body)).then();
	}

	@Override
	public void close() {
		for (ExecutorService sender : this.senders) {
			sender.shutdownNow();
		}
		this.office.close();
		this.server.disposeNow();
	}

}
