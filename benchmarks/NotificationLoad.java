import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The notification benchmark (docs/benchmarks.md), against a running local stack. Run as a single-file
 * program by {@code benchmarks/notifications.sh}:
 * {@code java NotificationLoad.java <gateway> <siti's token> <budi's token> <kafka> <application-service's
 * Kafka password> <admin's Kafka password> <mail folder> <rate> <seconds> <burst> <name=pid,...>}.
 * <ol>
 * <li>Each citizen verifies an email address (the code is read from the SMTP server's mail), chooses
 * email, and opens a live inbox stream through the gateway.</li>
 * <li><b>Latency</b>: {@code rate} state changes a second for {@code seconds}, produced as
 * application-service produces them (its principal, its CloudEvents headers), alternately for the two
 * citizens: event → its arrival on the citizen's stream, and event → its acceptance by the SMTP
 * server (the mailbox's {@code X-Mailbox-Received}; matched by the {@code Message-ID}, which is the
 * delivery id: SHA-256 of event, recipient and channel).</li>
 * <li><b>Throughput</b>: {@code burst} events at once; the time until notification-service's group
 * has committed past all of them (its inbox written for each), and the CPU each process spent.</li>
 * </ol>
 */
public class NotificationLoad {

	static final String TOPIC = "mpp.application.state-changed.v1";

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** When each event was sent (nanoTime and wall clock), by event id. */
	static final Map<String, long[]> sent = new ConcurrentHashMap<>();

	/** When each event arrived on its citizen's stream (nanoTime), by event id. */
	static final Map<String, Long> streamed = new ConcurrentHashMap<>();

	static final AtomicLong sequence = new AtomicLong();

	public static void main(String[] args) throws Exception {
		String gateway = args[0];
		List<String> tokens = List.of(args[1], args[2]);
		String bootstrap = args[3];
		String producerPassword = args[4];
		String adminPassword = args[5];
		Path mail = Path.of(args[6]);
		int rate = Integer.parseInt(args[7]);
		int seconds = Integer.parseInt(args[8]);
		int burst = Integer.parseInt(args[9]);
		Map<String, String> processes = new LinkedHashMap<>();
		for (String named : args[10].split(",")) {
			processes.put(named.substring(0, named.indexOf('=')), named.substring(named.indexOf('=') + 1));
		}
		List<String> subjects = new ArrayList<>();
		for (String token : tokens) {
			String subject = subject(token);
			subjects.add(subject);
			verifyEmail(gateway, token, subject, mail);
			follow(gateway, token);
		}
		System.out.printf("citizens %s: email verified and chosen, live streams open%n", subjects);
		// application-service declares its topic; it does not run in this stack, so the benchmark does
		try (Admin admin = admin(bootstrap, adminPassword)) {
			if (!admin.listTopics().names().get().contains(TOPIC)) {
				admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(TOPIC, 3, (short) 1))).all().get();
			}
		}
		// the consumers find the new topic on their next metadata refresh and take their partitions
		Thread.sleep(15_000);

		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
				"security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required username=\"application-service\" password=\""
						+ producerPassword + "\";",
				"acks", "all", "linger.ms", "1"), new StringSerializer(), new StringSerializer())) {
			// warm-up, not measured
			send(producer, subjects, rate, 10, false);
			Thread.sleep(5000);
			sent.clear();
			streamed.clear();
			List<String> measured = send(producer, subjects, rate, seconds, true);
			Thread.sleep(10_000);
			report("IN-APP (event -> live stream)", measured.stream().map(id -> streamed.containsKey(id)
					? (streamed.get(id) - sent.get(id)[0]) / 1_000 : Long.MAX_VALUE).toList(), rate);
			// the SMTP server's clock is this machine's: wall clock against wall clock
			Map<String, Instant> accepted = accepted(mail);
			List<Long> email = new ArrayList<>();
			for (String id : measured) {
				int citizen = (int) (Long.parseLong(id.substring(id.indexOf('@') + 1)) % 2);
				Instant at = accepted.get(deliveryId(id, subjects.get(citizen)));
				email.add(at == null ? Long.MAX_VALUE : Duration.between(Instant.ofEpochMilli(sent.get(id)[1]), at).toNanos() / 1_000);
			}
			report("EMAIL (event -> accepted by the SMTP server)", email, rate);

			// throughput: a burst, until the inbox's consumer group has committed past it
			Map<String, Long> before = cpu(processes);
			long start = System.nanoTime();
			send(producer, subjects, 0, burst, false);
			producer.flush();
			long produced = System.nanoTime();
			long lag = waitForGroup(bootstrap, adminPassword, "notification-service", Duration.ofMinutes(10));
			double took = (System.nanoTime() - start) / 1e9;
			Map<String, Long> after = cpu(processes);
			StringBuilder cpu = new StringBuilder();
			after.forEach((name, ticks) -> cpu.append(cpu.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT,
					"%s %.2f", name, (ticks - before.get(name)) / 100.0 / burst * 1000)));
			System.out.printf(java.util.Locale.ROOT, "THROUGHPUT events=%d produced-in=%.1f s processed-in=%.1f s rate=%.0f/s "
					+ "lag-left=%d cpu-seconds-per-1000=[%s]%n", burst, (produced - start) / 1e9, took, burst / took, lag, cpu);
		}
		System.exit(0);
	}

	/** {@code count} events at {@code rate} a second (0: as fast as the producer takes them); their ids. */
	static List<String> send(KafkaProducer<String, String> producer, List<String> subjects, int rate, int count,
			boolean perSecond) throws Exception {
		int total = perSecond ? rate * count : count;
		List<String> ids = new ArrayList<>();
		long start = System.nanoTime();
		for (int n = 0; n < total; n++) {
			if (rate > 0) {
				long due = start + (long) (n * 1e9 / rate);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
			}
			long number = sequence.incrementAndGet();
			String application = "PMH-261204-" + letters(number);
			// the step carries the citizen: even siti, odd budi
			long step = 2 * number + (n % 2);
			String eventId = application + "@" + step;
			String value = String.format("{\"eventId\":\"%s\",\"applicationId\":\"%s\",\"applicant\":\"%s\","
					+ "\"mppId\":\"kota-probolinggo\",\"standardId\":\"ktp-el-penggantian\",\"agencyId\":\"dukcapil\","
					+ "\"state\":\"IN_PROCESS\",\"at\":\"%s\",\"by\":\"agency_system\",\"note\":null,\"dueDate\":\"2026-12-31\"}",
					eventId, application, subjects.get((int) (step % 2)), Instant.now());
			ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, application, value);
			record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(eventId))
				.add("ce_type", bytes("id.mppdigital.application.state-changed.v1"))
				.add("ce_source", bytes("/application-service")).add("ce_time", bytes(Instant.now().toString()));
			sent.put(eventId, new long[] { System.nanoTime(), System.currentTimeMillis() });
			producer.send(record);
			ids.add(eventId);
		}
		return ids;
	}

	/** Eight letters of the application-id alphabet (no 0, 1, I, O), distinct for each number. */
	static String letters(long number) {
		String alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
		StringBuilder out = new StringBuilder();
		long left = number + 32L * 32 * 32 * 32 * 32 * 32 * 32;
		for (int i = 0; i < 8; i++) {
			out.append(alphabet.charAt((int) (left % 32)));
			left /= 32;
		}
		return out.reverse().toString();
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static void report(String name, List<Long> micros, int rate) {
		List<Long> sorted = new ArrayList<>(micros);
		Collections.sort(sorted);
		long missing = sorted.stream().filter(value -> value == Long.MAX_VALUE).count();
		System.out.printf(java.util.Locale.ROOT, "%s at %d events/s: events=%d missing=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n",
				name, rate, sorted.size(), missing, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 100));
	}

	static double pct(List<Long> sorted, int percentile) {
		if (sorted.isEmpty()) {
			return -1;
		}
		long micros = sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)));
		return micros == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : micros / 1000.0;
	}

	static String subject(String token) {
		String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		Matcher sub = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
		if (!sub.find()) {
			throw new IllegalStateException("no sub in the token");
		}
		return sub.group(1);
	}

	/** The address {@code <subject>@bench.example}, verified with the code the SMTP server received. */
	static void verifyEmail(String gateway, String token, String subject, Path mail) throws Exception {
		String address = subject + "@bench.example";
		check(send("PUT", gateway + "/api/notifications/preferences/email", token, "{\"address\":\"" + address + "\"}"), 202);
		String code = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (code == null && System.nanoTime() < deadline) {
			Thread.sleep(300);
			if (Files.isDirectory(mail)) {
				try (Stream<Path> files = Files.list(mail)) {
					for (Path file : files.filter(each -> each.getFileName().toString().contains(subject)).toList()) {
						Matcher found = Pattern.compile("Subject: .*?([0-9]{6})").matcher(Files.readString(file));
						if (found.find()) {
							code = found.group(1);
						}
					}
				}
			}
		}
		if (code == null) {
			throw new IllegalStateException("no code mail for " + address + " in " + mail);
		}
		check(send("POST", gateway + "/api/notifications/preferences/email/verification", token, "{\"code\":\"" + code + "\"}"), 200);
		check(send("PUT", gateway + "/api/notifications/preferences", token, "{\"language\":\"id\",\"channels\":[\"EMAIL\"]}"), 200);
	}

	/** The citizen's live inbox, through the gateway: each message's arrival is noted by its id. */
	static void follow(String gateway, String token) throws Exception {
		CountDownLatch open = new CountDownLatch(1);
		HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/notifications/inbox/stream"))
			.header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build();
		http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				open.countDown();
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(String line) {
				if (line.startsWith("id:")) {
					streamed.putIfAbsent(line.substring(3).trim(), System.nanoTime());
				}
			}

			@Override
			public void onError(Throwable failure) {
				System.err.println("stream: " + failure);
			}

			@Override
			public void onComplete() {
				System.err.println("stream ended");
			}
		}));
		if (!open.await(20, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the live inbox did not open");
		}
	}

	/** When the SMTP server accepted each message, by its Message-ID's local part. */
	static Map<String, Instant> accepted(Path mail) throws Exception {
		Map<String, Instant> accepted = new ConcurrentHashMap<>();
		Pattern received = Pattern.compile("X-Mailbox-Received: (\\S+)");
		Pattern messageId = Pattern.compile("Message-ID: <([0-9a-f]{32})@", Pattern.CASE_INSENSITIVE);
		try (Stream<Path> files = Files.list(mail)) {
			for (Path file : files.toList()) {
				String text = Files.readString(file);
				Matcher at = received.matcher(text);
				Matcher id = messageId.matcher(text);
				if (at.find() && id.find()) {
					accepted.put(id.group(1), Instant.parse(at.group(1)));
				}
			}
		}
		return accepted;
	}

	/** notification-service's delivery id: SHA-256 of event, recipient and channel, 16 bytes in hex. */
	static String deliveryId(String eventId, String recipient) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256")
			.digest((eventId + "\n" + recipient + "\nEMAIL").getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(digest, 0, 16);
	}

	/** Waits until the group has committed up to the end of the topic; the lag left. */
	static long waitForGroup(String bootstrap, String adminPassword, String group, Duration limit) throws Exception {
		try (Admin admin = admin(bootstrap, adminPassword)) {
			long deadline = System.nanoTime() + limit.toNanos();
			long lag = Long.MAX_VALUE;
			while (lag > 0 && System.nanoTime() < deadline) {
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
					.partitionsToOffsetAndMetadata().get();
				Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
				committed.keySet().stream().filter(partition -> partition.topic().equals(TOPIC))
					.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
				var ends = admin.listOffsets(latest).all().get();
				lag = 0;
				for (var end : ends.entrySet()) {
					lag += end.getValue().offset() - committed.get(end.getKey()).offset();
				}
				if (lag > 0) {
					Thread.sleep(100);
				}
			}
			return lag;
		}
	}

	static Admin admin(String bootstrap, String adminPassword) {
		return Admin.create(Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
				"sasl.mechanism", "PLAIN", "sasl.jaas.config",
				"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
						+ adminPassword + "\";"));
	}

	static Map<String, Long> cpu(Map<String, String> processes) throws Exception {
		Map<String, Long> ticks = new LinkedHashMap<>();
		for (Map.Entry<String, String> process : processes.entrySet()) {
			String stat = Files.readString(Path.of("/proc", process.getValue(), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			ticks.put(process.getKey(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
		}
		ticks.put("load-generator", ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 10).orElse(0L));
		return ticks;
	}

	static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.header("Authorization", "Bearer " + token);
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static void check(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
	}

}
