import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queue benchmark (docs/benchmarks.md), against a running local stack, everything through the
 * gateway. Run as a single-file program by {@code benchmarks/queue.sh}:
 * {@code java benchmarks/QueueLoad.java <gateway> <platform admin token> <polri officer surabaya token>
 * <tickets> <clients> <calls> <streams> <queue-service pid> <gateway pid> <name=pid,...>}.
 * <ol>
 * <li><b>Issuance</b>: {@code clients} kiosks at once take {@code tickets} walk-in tickets, spread
 * over five queues of every MPP, then a quarter as many of one queue at Probolinggo by at most 100 kiosks (each kiosk sends
 * its next request when its last was answered); tickets/s, latency, the numbers counted (every one
 * unique, and per queue none missing, 001 … n), and the CPU each process spent.</li>
 * <li><b>Call-next</b> at Surabaya's police counter over a line kept at about 200 waiting: the officer
 * calls, starts and finishes, {@code calls} times; call-next's latency as the officer's console sees it.
 * A board connected to Surabaya through the gateway times each call from the moment the officer
 * pressed to the moment the board received it.</li>
 * <li><b>Streams</b>: {@code streams} boards connect to Surabaya at once and stay; the resident memory
 * and the heap after a full GC of queue-service and of the gateway, before and after; then one call,
 * and how long it takes to reach every board.</li>
 * </ol>
 */
public class QueueLoad {

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.executor(Executors.newFixedThreadPool(4))
		.build();

	public static void main(String[] args) throws Exception {
		// the client's threads would keep the program (and the script waiting on it) alive: exit
		try {
			benchmark(args);
			System.exit(0);
		}
		catch (Throwable failure) {
			failure.printStackTrace();
			System.exit(1);
		}
	}

	static void benchmark(String[] args) throws Exception {
		String gateway = args[0];
		String admin = args[1];
		String officer = args[2];
		int tickets = Integer.parseInt(args[3]);
		int clients = Integer.parseInt(args[4]);
		int calls = Integer.parseInt(args[5]);
		int streams = Integer.parseInt(args[6]);
		String queuePid = args[7];
		String gatewayPid = args[8];
		Map<String, String> processes = new java.util.LinkedHashMap<>();
		for (String named : args[9].split(",")) {
			processes.put(named.substring(0, named.indexOf('=')), named.substring(named.indexOf('=') + 1));
		}

		// every MPP open all day, every day, so that the benchmark runs whenever it is started; five
		// queues of each (the first service of each of its first five queue letters)
		List<String[]> everywhere = new ArrayList<>();
		Matcher mpps = Pattern.compile("\"id\":\"(kota-[a-z-]+|kab-[a-z-]+)\"").matcher(get(gateway + "/api/catalog/mpps?size=100", null));
		Set<String> seenMpps = new java.util.LinkedHashSet<>();
		while (mpps.find()) {
			seenMpps.add(mpps.group(1));
		}
		for (String mpp : seenMpps) {
			openAllDay(gateway, mpp, admin);
			Matcher services = Pattern.compile("\"standardId\":\"([a-z0-9-]+)\".*?\"queuePrefix\":\"([A-Z]+)\"")
				.matcher(get(gateway + "/api/catalog/mpps/" + mpp + "/services?size=100", null));
			Set<String> queues = new HashSet<>();
			while (services.find() && queues.size() < 5) {
				if (queues.add(services.group(2)) && !services.group(1).equals("ktp-el-baru")) {
					everywhere.add(new String[] { gateway + "/api/queues/mpps/" + mpp + "/tickets",
							"{\"standardId\": \"" + services.group(1) + "\"}" });
				}
			}
		}
		System.out.printf("MPPs: %d, queues for the spread issuance: %d%n", seenMpps.size(), everywhere.size());
		String polriService = first(get(gateway + "/api/catalog/mpps/kota-surabaya/services?agency=polri&size=1", null), "standardId");
		int counter = counterOf(get(gateway + "/api/catalog/mpps/kota-surabaya/counters", null), "polri");
		String probolinggo = gateway + "/api/queues/mpps/kota-probolinggo";
		String surabaya = gateway + "/api/queues/mpps/kota-surabaya";
		System.out.printf("Surabaya: %s at counter %d%n", polriService, counter);

		// warm-up: classes loaded, hot paths compiled, connections made, on a queue of its own
		issue(List.<String[]>of(new String[] { probolinggo + "/tickets", "{\"standardId\": \"akta-kelahiran\"}" }), 2000, 50,
				"WARM-UP", processes);
		issue(everywhere, tickets, clients, "ISSUANCE-SPREAD", processes);
		issue(List.<String[]>of(new String[] { probolinggo + "/tickets", "{\"standardId\": \"kk-baru\"}" }), tickets / 4,
				Math.min(clients, Integer.parseInt(System.getenv().getOrDefault("MPP_BENCH_ONE_QUEUE_KIOSKS", "100"))),
				"ISSUANCE-ONE-QUEUE", processes);

		// call-next over a line of about 200
		String take = "{\"standardId\": \"" + polriService + "\"}";
		// after an overload the gateway's breaker for queue-service may be open: wait until it lets calls through
		long waiting = System.nanoTime();
		while (send("GET", gateway + "/api/queues/mpps/kota-surabaya/services/" + polriService + "/slots?date=2030-01-07", null, null)
			.statusCode() == 503 && System.nanoTime() - waiting < 60_000_000_000L) {
			Thread.sleep(1000);
		}
		for (int i = 0; i < 200; i++) {
			send("POST", surabaya + "/tickets", null, take);
		}
		Board board = new Board();
		connect(surabaya + "/board", null, board);
		board.connected.await(20, TimeUnit.SECONDS);
		String desk = surabaya + "/counters/" + counter;
		check(send("POST", desk + "/open", officer, null), 200);
		List<Long> callMillis = new ArrayList<>();
		List<Long> boardMillis = new ArrayList<>();
		// with the queue-service's own address, every other call goes to it directly (the same token,
		// checked there too), so that the gateway's share of the latency is measured in the same minutes
		String direct = args.length > 10 ? args[10] + "/mpps/kota-surabaya/counters/" + counter : null;
		List<Long> directMillis = new ArrayList<>();
		for (int i = -30; i < calls * (direct == null ? 1 : 2); i++) {
			boolean straight = direct != null && (i & 1) == 1;
			send("POST", surabaya + "/tickets", null, take);
			long pressed = System.nanoTime();
			HttpResponse<String> called = send("POST", (straight ? direct : desk) + "/call-next", officer, null);
			long answered = System.nanoTime();
			check(called, 200);
			String number = field(called.body(), "number");
			Long seen = board.await(number, 10_000);
			if (i >= 0 && straight) {
				directMillis.add((answered - pressed) / 1_000);
			}
			else if (i >= 0) {
				callMillis.add((answered - pressed) / 1_000);
				boardMillis.add(seen == null ? Long.MAX_VALUE : (seen - pressed) / 1_000);
			}
			check(send("POST", desk + "/start", officer, null), 200);
			check(send("POST", desk + "/finish", officer, null), 200);
		}
		printLatency("CALL-NEXT", callMillis);
		if (direct != null) {
			printLatency("CALL-NEXT-DIRECT", directMillis);
		}
		printLatency("CALL-TO-BOARD", boardMillis);

		// many boards on one instance
		String lastId = board.lastId;
		long[] queueBefore = memory(queuePid);
		long[] gatewayBefore = memory(gatewayPid);
		List<Board> boards = new ArrayList<>();
		long connecting = System.nanoTime();
		for (int i = 0; i < streams; i++) {
			Board each = new Board();
			boards.add(each);
			connect(surabaya + "/board", lastId, each);
		}
		int open = 0;
		for (Board each : boards) {
			if (each.connected.await(60, TimeUnit.SECONDS)) {
				open++;
			}
		}
		System.out.printf("STREAMS open=%d of %d in %.1f s%n", open, streams, (System.nanoTime() - connecting) / 1e9);
		Thread.sleep(5000);
		long[] queueAfter = memory(queuePid);
		long[] gatewayAfter = memory(gatewayPid);
		System.out.printf("MEMORY queue-service rss %d -> %d MiB (%+.1f KiB/stream), heap after GC %d -> %d MiB (%+.1f KiB/stream)%n",
				queueBefore[0] >> 10, queueAfter[0] >> 10, (queueAfter[0] - queueBefore[0]) / (double) streams,
				queueBefore[1] >> 10, queueAfter[1] >> 10, (queueAfter[1] - queueBefore[1]) / (double) streams);
		System.out.printf("MEMORY gateway rss %d -> %d MiB (%+.1f KiB/stream), heap after GC %d -> %d MiB (%+.1f KiB/stream)%n",
				gatewayBefore[0] >> 10, gatewayAfter[0] >> 10, (gatewayAfter[0] - gatewayBefore[0]) / (double) streams,
				gatewayBefore[1] >> 10, gatewayAfter[1] >> 10, (gatewayAfter[1] - gatewayBefore[1]) / (double) streams);
		send("POST", surabaya + "/tickets", null, take);
		long pressed = System.nanoTime();
		HttpResponse<String> called = send("POST", desk + "/call-next", officer, null);
		check(called, 200);
		String number = field(called.body(), "number");
		List<Long> fanOut = new ArrayList<>();
		for (Board each : boards) {
			Long seen = each.await(number, 20_000);
			fanOut.add(seen == null ? Long.MAX_VALUE : (seen - pressed) / 1_000);
		}
		Collections.sort(fanOut);
		long reached = fanOut.stream().filter(micros -> micros != Long.MAX_VALUE).count();
		System.out.printf("FAN-OUT boards=%d reached=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", fanOut.size(), reached,
				pct(fanOut, 50), pct(fanOut, 99), pct(fanOut, 100));
	}

	/**
	 * {@code total} tickets by {@code clients} kiosks at once, round the targets; prints the rate, the
	 * latency, the numbers' check (unique per MPP, and per queue 1 … n with none missing) and the CPU
	 * each process of the stack spent per 1,000 tickets.
	 */
	static void issue(List<String[]> targets, int total, int clients, String label, Map<String, String> processes)
			throws Exception {
		Set<String> numbers = ConcurrentHashMap.newKeySet();
		AtomicInteger duplicates = new AtomicInteger();
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<Long> micros = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger sent = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(clients);
		Map<String, Long> cpuBefore = cpu(processes);
		long started = System.nanoTime();
		for (int c = 0; c < clients; c++) {
			next(targets, total, sent, numbers, duplicates, statuses, micros, done);
		}
		done.await(30, TimeUnit.MINUTES);
		double seconds = (System.nanoTime() - started) / 1e9;
		Map<String, Long> cpuAfter = cpu(processes);
		List<Long> sorted = new ArrayList<>(micros);
		Collections.sort(sorted);
		int ok = statuses.getOrDefault(201, new AtomicInteger()).get() + statuses.getOrDefault(200, new AtomicInteger()).get();
		int repeats = REPEATS.getAndSet(0);
		int same = REPEATS_SAME.getAndSet(0);
		// per queue (MPP and letters): the sequences 1 … highest, each once
		Map<String, Set<Integer>> perQueue = new java.util.HashMap<>();
		for (String key : numbers) {
			int dash = key.lastIndexOf('-');
			perQueue.computeIfAbsent(key.substring(0, dash), any -> new HashSet<>()).add(Integer.parseInt(key.substring(dash + 1)));
		}
		long missing = 0;
		for (Set<Integer> sequences : perQueue.values()) {
			int highest = sequences.stream().mapToInt(Integer::intValue).max().orElse(0);
			missing += highest - sequences.size();
		}
		StringBuilder cpu = new StringBuilder();
		cpuAfter.forEach((name, ticks) -> cpu.append(cpu.length() > 0 ? ", " : "").append(name).append(' ')
			.append(String.format(java.util.Locale.ROOT, "%.2f", (ticks - cpuBefore.get(name)) / 100.0 / Math.max(1, ok) * 1000)));
		System.out.printf(java.util.Locale.ROOT, "%s tickets=%d clients=%d queues=%d seconds=%.1f rate=%.0f/s p50=%.1f ms "
				+ "p99=%.1f ms statuses=%s repeats=%d (answered with the first ticket: %d) duplicates=%d numbers-missing=%d "
				+ "cpu-seconds-per-1000=[%s]%n", label, total, clients, perQueue.size(), seconds, ok / seconds, pct(sorted, 50),
				pct(sorted, 99), statuses, repeats, same, duplicates.get(), missing, cpu);
	}

	/** CPU time (user + system, in clock ticks) of each named process. */
	static Map<String, Long> cpu(Map<String, String> processes) throws Exception {
		Map<String, Long> ticks = new java.util.LinkedHashMap<>();
		for (Map.Entry<String, String> process : processes.entrySet()) {
			String stat = Files.readString(Path.of("/proc", process.getValue(), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			ticks.put(process.getKey(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
		}
		ProcessHandle self = ProcessHandle.current();
		ticks.put("load-generator", self.info().totalCpuDuration().map(d -> d.toMillis() / 10).orElse(0L));
		return ticks;
	}

	static void next(List<String[]> targets, int total, AtomicInteger sent, Set<String> numbers, AtomicInteger duplicates,
			Map<Integer, AtomicInteger> statuses, List<Long> micros, CountDownLatch done) {
		int n = sent.getAndIncrement();
		if (n >= total) {
			done.countDown();
			return;
		}
		send(targets.get(n % targets.size()), "bench-" + RUN + "-" + KEYS.incrementAndGet(), 0, System.nanoTime(), total, targets, sent, numbers,
				duplicates, statuses, micros, done);
	}

	/** Every request's own key, unique in the run (anonymous kiosks share one scope of keys). */
	static final AtomicLong KEYS = new AtomicLong();

	/** One run's keys differ from another's. */
	static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	/** Every repeat a kiosk made after a 503 or a broken connection, and how many were answered with the first ticket. */
	static final AtomicInteger REPEATS = new AtomicInteger();

	static final AtomicInteger REPEATS_SAME = new AtomicInteger();

	/**
	 * As a kiosk does it: each request with its own {@code Idempotency-Key}; an answer that did not
	 * come (503, connection broken) is asked again with the same key after a second, up to 5 times.
	 */
	static void send(String[] target, String key, int attempt, long started, int total, List<String[]> targets,
			AtomicInteger sent, Set<String> numbers, AtomicInteger duplicates, Map<Integer, AtomicInteger> statuses,
			List<Long> micros, CountDownLatch done) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(target[0])).timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json").header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(target[1])).build();
		http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
			int status = failure != null ? -1 : response.statusCode();
			if ((status == 503 || status == -1) && attempt < 5) {
				REPEATS.incrementAndGet();
				RETRIES.schedule(() -> send(target, key, attempt + 1, started, total, targets, sent, numbers, duplicates,
						statuses, micros, done), 1, TimeUnit.SECONDS);
				return;
			}
			statuses.computeIfAbsent(status, any -> new AtomicInteger()).incrementAndGet();
			if (status == 201 || status == 200) {
				if (status == 200) {
					REPEATS_SAME.incrementAndGet();
				}
				micros.add((System.nanoTime() - started) / 1_000);
				if (!numbers.add(field(response.body(), "mppId") + "|" + field(response.body(), "number"))) {
					duplicates.incrementAndGet();
				}
			}
			else if (statuses.get(status).get() <= 3) {
				System.err.println("issue: " + (failure != null ? failure : status + " " + response.body()));
			}
			next(targets, total, sent, numbers, duplicates, statuses, micros, done);
		});
	}

	static final java.util.concurrent.ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor();

	/** A board: when each number was first seen CALLED, and the last event id. */
	static final class Board implements Flow.Subscriber<String> {

		final CountDownLatch connected = new CountDownLatch(1);

		final Map<String, Long> called = new ConcurrentHashMap<>();

		volatile String lastId;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
			this.connected.countDown();
		}

		@Override
		public void onNext(String line) {
			if (line.startsWith("id:")) {
				this.lastId = line.substring(3).trim();
			}
			else if (line.startsWith("data:") && line.contains("\"CALLED\"")) {
				this.called.putIfAbsent(field(line, "number"), System.nanoTime());
			}
		}

		@Override
		public void onError(Throwable failure) {
			System.err.println("board: " + failure);
		}

		@Override
		public void onComplete() {
		}

		Long await(String number, long timeoutMillis) throws InterruptedException {
			long until = System.nanoTime() + timeoutMillis * 1_000_000;
			while (System.nanoTime() < until) {
				Long seen = this.called.get(number);
				if (seen != null) {
					return seen;
				}
				Thread.sleep(1);
			}
			return null;
		}

	}

	static void connect(String url, String lastEventId, Board board) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(board))
			.whenComplete((response, failure) -> {
				if (failure != null) {
					System.err.println("board: " + failure);
				}
			});
	}

	/** Resident memory and heap used after a full GC, in KiB. */
	static long[] memory(String pid) throws Exception {
		run("jcmd", pid, "GC.run");
		String heap = run("jcmd", pid, "GC.heap_info");
		long used = 0;
		Matcher generation = Pattern.compile("(?:generation|DefNew|Tenured)\\s+total \\d+K, used (\\d+)K").matcher(heap);
		while (generation.find()) {
			used += Long.parseLong(generation.group(1));
		}
		long rss = 0;
		for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
			if (line.startsWith("VmRSS:")) {
				rss = Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return new long[] { rss, used };
	}

	static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		process.waitFor();
		return out;
	}

	static void openAllDay(String gateway, String mpp, String admin) throws Exception {
		String day = "{\"opens\": \"00:00\", \"closes\": \"23:59\"}";
		StringBuilder week = new StringBuilder("{");
		for (String name : List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) {
			week.append(week.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(day);
		}
		check(send("PUT", gateway + "/api/catalog/mpps/" + mpp + "/hours", admin, week.append('}').toString()), 200);
	}

	static int counterOf(String counters, String agency) {
		Matcher matcher = Pattern.compile("\"number\":(\\d+),\"name\":\"[^\"]*\",\"agencyId\":\"" + agency + "\"").matcher(counters);
		if (!matcher.find()) {
			throw new IllegalStateException("no " + agency + " counter in " + counters);
		}
		return Integer.parseInt(matcher.group(1));
	}

	static double pct(List<Long> sortedMicros, int percentile) {
		if (sortedMicros.isEmpty()) {
			return -1;
		}
		int index = Math.min(sortedMicros.size() - 1, (int) Math.ceil(percentile / 100.0 * sortedMicros.size()) - 1);
		long micros = sortedMicros.get(Math.max(0, index));
		return micros == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : micros / 1000.0;
	}

	static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : null;
	}

	static String first(String json, String name) {
		return field(json, name);
	}

	static void check(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.uri() + ": " + response.statusCode() + " " + response.body());
		}
	}

	static HttpRequest post(String url, String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request.build();
	}

	static String get(String url, String token) throws Exception {
		HttpResponse<String> response = send("GET", url, token, null);
		check(response, 200);
		return response.body();
	}

	static void printLatency(String name, List<Long> micros) {
		Collections.sort(micros);
		System.out.printf("%s calls=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", name, micros.size(),
				pct(micros, 50), pct(micros, 90), pct(micros, 99), pct(micros, 100));
	}

	static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException closed) {
			// a kept-alive connection the other side closed meanwhile: once more, on a new one
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

}
