import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The agency loop benchmark (docs/benchmarks.md), against a running local stack. Run as a
 * single-file program by {@code benchmarks/agency-loop.sh}:
 * {@code java --class-path <kafka-clients, slf4j-api> benchmarks/AgencyLoop.java <gateway> <simulator>
 * <adapter management> <token> <rate/s> <seconds> <backlog> <kafka bootstrap> <kafka admin password>
 * [<warm-up seconds>]}.
 * <ol>
 * <li><b>Loop</b>: submits Dukcapil applications through the gateway at a fixed rate. The moment
 * application-service announces the agency's first report on {@code mpp.application.state-changed.v1}
 * (it does so once the state is stored), the application is read once through the gateway as its
 * citizen, and again every 10 ms until the new state is there. Latency = submit sent → that state
 * seen through the gateway: the whole path (gateway, application-service, outbox, Kafka, adapter,
 * the agency's REST API, its signed webhook, the adapter, Kafka, application-service, gateway),
 * without reads that would load the system while waiting.</li>
 * <li><b>Backlog</b>: takes the agency down, submits {@code backlog} applications, waits until the
 * adapter holds them all undelivered, brings the agency back and times the drain, counted by the
 * agency's own system: received, duplicated. The agency holds its decisions meanwhile (it registers
 * the backlog first); then it decides on all of it, and the answers are timed until every
 * application's last report (COMPLETED) is applied and announced.</li>
 * </ol>
 */
public class AgencyLoop {

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newFixedThreadPool(8))
		.build();

	static final String[] STANDARDS = { "kk-baru", "kk-perubahan-data", "akta-kelahiran", "akta-kematian" };

	public static void main(String[] args) throws Exception {
		String gateway = args[0];
		String simulator = args[1];
		String adapterManagement = args[2];
		String token = args[3];
		int rate = Integer.parseInt(args[4]);
		int seconds = Integer.parseInt(args[5]);
		int backlog = Integer.parseInt(args[6]);
		observe(args[7], args[8]);

		// warm-up: the first requests load classes, compile the hot paths and fill caches along the path
		int warmUp = (args.length > 9) ? Integer.parseInt(args[9]) : 30;
		List<Long> warm = loop(gateway, token, 5, warmUp);
		System.out.printf("WARM-UP rate=5/s seconds=%d done=%d p50=%d ms p99=%d ms%n", warmUp, warm.size(),
				percentile(warm, 50), percentile(warm, 99));
		List<Long> latencies = loop(gateway, token, rate, seconds);
		System.out.printf("LOOP rate=%d/s seconds=%d done=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms%n", rate, seconds,
				latencies.size(), percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
				latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));

		if (backlog > 0) {
			backlog(gateway, simulator, adapterManagement, token, backlog);
		}
		System.exit(0);
	}

	static List<Long> loop(String gateway, String token, int rate, int seconds) throws Exception {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger failed = new AtomicInteger();
		int total = rate * seconds;
		CountDownLatch finished = new CountDownLatch(total);
		ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
		long periodNanos = 1_000_000_000L / rate;
		AtomicInteger sent = new AtomicInteger();
		clock.scheduleAtFixedRate(() -> {
			int n = sent.getAndIncrement();
			if (n >= total) {
				return;
			}
			long started = System.nanoTime();
			http.sendAsync(post(gateway + "/api/applications", token, form(n)), HttpResponse.BodyHandlers.ofString())
				.whenComplete((response, failure) -> {
					if (failure != null || response.statusCode() != 201) {
						failed.incrementAndGet();
						if (failed.get() <= 3) {
							System.err.println("submit failed: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
						}
						finished.countDown();
						return;
					}
					String id = field(response.body(), "id");
					String url = gateway + "/api/applications/" + id;
					WAITING.put(id, () -> watch(clock, url, token, started, latencies, finished, failed, 0));
					// announced before the submission's answer came: look now
					if (ANNOUNCED.remove(id) != null) {
						Runnable look = WAITING.remove(id);
						if (look != null) {
							look.run();
						}
					}
					clock.schedule(() -> {
						if (WAITING.remove(id) != null) {
							failed.incrementAndGet();
							finished.countDown();
						}
					}, 60, TimeUnit.SECONDS);
				});
		}, 0, periodNanos, TimeUnit.NANOSECONDS);
		if (!finished.await(seconds + 120L, TimeUnit.SECONDS)) {
			System.err.println("not all applications came back within the time: " + (total - finished.getCount()) + " of " + total);
		}
		clock.shutdownNow();
		if (failed.get() > 0) {
			System.err.println("failed: " + failed.get());
		}
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return sorted;
	}

	/** Reads again this often while the announced state is not visible yet. */
	static final int LOOK_AGAIN = 10;

	/** Applications whose agency's first report is awaited: what to do once it is announced. */
	static final Map<String, Runnable> WAITING = new ConcurrentHashMap<>();

	/** Announced before their submission's answer was read. */
	static final Map<String, Boolean> ANNOUNCED = new ConcurrentHashMap<>();

	/** Follows mpp.application.state-changed.v1 (as the platform's admin) and starts the reads. */
	static void observe(String bootstrap, String adminPassword) {
		Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
				"sasl.mechanism", "PLAIN", "sasl.jaas.config",
				"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
						+ adminPassword + "\";",
				"group.id", "agency-loop-benchmark-" + System.nanoTime(), "auto.offset.reset", "latest");
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
		CountDownLatch assigned = new CountDownLatch(1);
		consumer.subscribe(List.of("mpp.application.state-changed.v1"), new ConsumerRebalanceListener() {
			@Override
			public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
			}

			@Override
			public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
				if (!partitions.isEmpty()) {
					assigned.countDown();
				}
			}
		});
		Thread follower = new Thread(() -> {
			while (true) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					if ("COMPLETED".equals(field(record.value(), "state"))) {
						COMPLETED.incrementAndGet();
					}
					if (!"SUBMITTED".equals(field(record.value(), "state"))) {
						Runnable look = WAITING.remove(record.key());
						if (look != null) {
							look.run();
						}
						else {
							ANNOUNCED.put(record.key(), Boolean.TRUE);
						}
					}
				}
			}
		}, "state-changes");
		follower.setDaemon(true);
		follower.start();
		// joined and positioned before the first submission
		try {
			if (!assigned.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not assigned mpp.application.state-changed.v1 within 60 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sleep(2000);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Reads the application until the agency's first report is visible (each read is a request through the gateway). */
	static void watch(ScheduledExecutorService clock, String url, String token, long started, List<Long> latencies,
			CountDownLatch finished, AtomicInteger failed, int afterMillis) {
		clock.schedule(() -> http.sendAsync(get(url, token), HttpResponse.BodyHandlers.ofString())
			.whenComplete((response, failure) -> {
				if (failure == null && response.statusCode() == 200 && !"SUBMITTED".equals(field(response.body(), "state"))) {
					latencies.add((System.nanoTime() - started) / 1_000_000);
					finished.countDown();
				}
				else if (System.nanoTime() - started > Duration.ofSeconds(60).toNanos()) {
					failed.incrementAndGet();
					finished.countDown();
				}
				else {
					watch(clock, url, token, started, latencies, finished, failed, LOOK_AGAIN);
				}
			}), afterMillis, TimeUnit.MILLISECONDS);
	}

	static void backlog(String gateway, String simulator, String adapterManagement, String token, int backlog)
			throws Exception {
		Map<String, Long> before = counts(simulator);
		// the back office registers the backlog first and decides on it afterwards: the drain measures
		// the deliveries, then the answers are timed on their own
		control(simulator, "/control/decisions/HOLD");
		control(simulator, "/control/mode/DOWN");
		long submitting = System.nanoTime();
		AtomicInteger failed = new AtomicInteger();
		java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(16);
		for (int n = 0; n < backlog; n++) {
			inFlight.acquire();
			http.sendAsync(post(gateway + "/api/applications", token, form(100_000 + n)), HttpResponse.BodyHandlers.ofString())
				.whenComplete((response, failure) -> {
					if (failure != null || response.statusCode() != 201) {
						if (failed.incrementAndGet() <= 3) {
							System.err.println("submit failed: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
						}
					}
					inFlight.release();
				});
		}
		inFlight.acquire(16);
		double submitSeconds = (System.nanoTime() - submitting) / 1e9;
		int submitted = backlog - failed.get();
		System.out.printf("BACKLOG submitted=%d in %.1f s (%.0f/s) while the agency was down%n", submitted, submitSeconds,
				submitted / submitSeconds);
		// until the adapter holds them all
		long waiting = System.nanoTime();
		while (undelivered(adapterManagement) < submitted && System.nanoTime() - waiting < Duration.ofMinutes(5).toNanos()) {
			Thread.sleep(1000);
		}
		// the undelivered ones count, not the answers seen: a submission the gateway gave up on (503)
		// may still have been accepted by application-service, and is then in the backlog too
		long expected = Math.max(submitted, undelivered(adapterManagement));
		System.out.printf("BACKLOG undelivered at the adapter=%d%n", expected);
		long draining = System.nanoTime();
		control(simulator, "/control/mode/NORMAL");
		long target = before.get("applications") + expected;
		Map<String, Long> now = counts(simulator);
		long firstAt = 0;
		while (now.get("applications") < target && System.nanoTime() - draining < Duration.ofMinutes(10).toNanos()) {
			Thread.sleep(200);
			now = counts(simulator);
			if (firstAt == 0 && now.get("applications") > before.get("applications")) {
				firstAt = System.nanoTime();
			}
		}
		double drainSeconds = (System.nanoTime() - draining) / 1e9;
		double fromFirst = firstAt == 0 ? drainSeconds : (System.nanoTime() - firstAt) / 1e9;
		long received = now.get("applications") - before.get("applications");
		System.out.printf("BACKLOG drained received=%d of %d in %.1f s (%.0f/s; %.0f/s from the first delivery) "
				+ "duplicates=%d lost=%d%n", received, expected, drainSeconds, received / drainSeconds, received / fromFirst,
				now.get("duplicates") - before.get("duplicates"), expected - received);

		// the agency decides on the whole backlog now: four signed reports each, applied and announced
		long completedBefore = COMPLETED.get();
		long answering = System.nanoTime();
		control(simulator, "/control/decisions/NOW");
		// timed for at most 5 minutes: the rate, not the wait, is the figure
		while (COMPLETED.get() - completedBefore < received && System.nanoTime() - answering < Duration.ofMinutes(5).toNanos()) {
			Thread.sleep(200);
		}
		double answerSeconds = (System.nanoTime() - answering) / 1e9;
		long completed = COMPLETED.get() - completedBefore;
		System.out.printf("BACKLOG answered completed=%d of %d in %.1f s (%.0f applications/s, %.0f reports/s applied)%n",
				completed, received, answerSeconds, completed / answerSeconds, 4 * completed / answerSeconds);
	}

	static void control(String simulator, String path) throws Exception {
		send(HttpRequest.newBuilder(URI.create(simulator + path)).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	/** Applications announced COMPLETED (the agency's last report applied), since the start. */
	static final java.util.concurrent.atomic.AtomicLong COMPLETED = new java.util.concurrent.atomic.AtomicLong();

	static long undelivered(String adapterManagement) throws Exception {
		String metrics = send(HttpRequest.newBuilder(URI.create(adapterManagement + "/actuator/prometheus")).GET().build());
		Matcher matcher = Pattern.compile("mpp_adapter_undelivered\\{[^}]*agency=\"dukcapil\"[^}]*\\} ([0-9.E]+)").matcher(metrics);
		return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
	}

	static Map<String, Long> counts(String simulator) throws Exception {
		String body = send(HttpRequest.newBuilder(URI.create(simulator + "/control/counts")).GET().build());
		Map<String, Long> counts = new ConcurrentHashMap<>();
		for (String name : List.of("applications", "duplicates", "requests")) {
			Matcher matcher = Pattern.compile("\"" + name + "\":([0-9]+)").matcher(body);
			counts.put(name, matcher.find() ? Long.parseLong(matcher.group(1)) : -1);
		}
		return counts;
	}

	static String send(HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	static String form(int n) {
		return """
				{"mppId": "kota-probolinggo", "standardId": "%s",
				 "form": {"nik": "3574010101900003", "nama": "Pemohon Beban %d", "telepon": "081234567892"}}"""
			.formatted(STANDARDS[n % STANDARDS.length], n);
	}

	static HttpRequest post(String url, String token, String body) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	static HttpRequest get(String url, String token) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
	}

	static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : "";
	}

	static long percentile(List<Long> sorted, int p) {
		if (sorted.isEmpty()) {
			return -1;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
