package id.mppdigital.outbox;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import id.mppdigital.localstack.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While Kafka is down and citizens keep submitting, operators see the backlog and its age grow —
 * counted from the store, not from a sweep that is stuck on its first event — and once the broker is
 * back every event is sent once and both gauges fall to zero.
 */
class OutboxTests {

	static final String TOPIC = "mpp.test.outbox.v1";

	/** Documents carrying the outbox mark: id → since when their event waits (removed once sent). */
	final Map<String, Instant> unsent = new ConcurrentSkipListMap<>();

	final MeterRegistry meters = new SimpleMeterRegistry();

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));

	@TempDir
	Path dir;

	KafkaBroker broker;

	@AfterEach
	void stop() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void theBacklogAndItsAgeRiseWhileKafkaIsDownAndFallOnceItIsBack() throws Exception {
		int port = freePort();
		KafkaTemplate<String, String> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
				ProducerConfig.MAX_BLOCK_MS_CONFIG, 500, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000),
				new StringSerializer(), new StringSerializer()));
		Outbox<String> outbox = new Outbox<>(TOPIC, kafka, this.meters, this.clock,
				() -> Flux.fromIterable(List.copyOf(this.unsent.keySet())),
				id -> new OutboxEvent(TOPIC, id, id + "@1", "id.mppdigital.test.outbox.v1", "/tests", this.unsent.get(id),
						"{\"id\":\"" + id + "\"}"),
				this.unsent::get, id -> Mono.fromRunnable(() -> this.unsent.remove(id)));

		submit("PMH-1", 0);
		submit("PMH-2", 10);
		submit("PMH-3", 20);
		outbox.trigger();
		this.clock.advance(Duration.ofSeconds(30));
		outbox.sweep().block(Duration.ofSeconds(30));
		assertThat(pending()).isEqualTo(3);
		assertThat(oldestAge()).isEqualTo(30.0);

		// citizens keep submitting while the broker stays down (and the sweep keeps failing)
		for (int i = 4; i <= 9; i++) {
			submit("PMH-" + i, 30 + i);
			outbox.trigger();
		}
		this.clock.advance(Duration.ofSeconds(60));
		outbox.sweep().block(Duration.ofSeconds(30));
		assertThat(pending()).isEqualTo(9);
		assertThat(oldestAge()).isEqualTo(90.0);

		// the broker comes back where the producer looks for it
		this.broker = KafkaBroker.start(this.dir.resolve("kafka"), port, freePort(), this.dir.resolve("logs"));
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!this.unsent.isEmpty() && System.nanoTime() < deadline) {
			outbox.sweep().block(Duration.ofSeconds(30));
			Thread.sleep(200);
		}
		outbox.sweep().block(Duration.ofSeconds(30));
		assertThat(pending()).isZero();
		assertThat(oldestAge()).isZero();
		assertThat(received(9)).hasSize(9);
	}

	/**
	 * A document handed over as written goes out without a search of the store (the embedded store
	 * can only search by reading every document): one search after the start, none for the changes.
	 * When Kafka fails, the outbox searches the store again, and what waited goes out once it is back.
	 */
	@Test
	void writtenDocumentsGoOutWithoutSearchingTheStoreAndASearchTakesOverWhenKafkaFails() throws Exception {
		int port = freePort();
		int controller = freePort();
		this.broker = KafkaBroker.start(this.dir.resolve("kafka"), port, controller, this.dir.resolve("logs"));
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		KafkaTemplate<String, String> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
				ProducerConfig.MAX_BLOCK_MS_CONFIG, 500, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000),
				new StringSerializer(), new StringSerializer()));
		AtomicInteger searches = new AtomicInteger();
		Outbox<String> outbox = new Outbox<>(TOPIC, kafka, this.meters, this.clock, () -> {
			searches.incrementAndGet();
			return Flux.fromIterable(List.copyOf(this.unsent.keySet()));
		}, id -> new OutboxEvent(TOPIC, id, id + "@1", "id.mppdigital.test.outbox.v1", "/tests", this.unsent.get(id),
				"{\"id\":\"" + id + "\"}"), this.unsent::get, id -> Mono.fromRunnable(() -> this.unsent.remove(id)))
			.rescanEvery(Duration.ofHours(1));

		outbox.sweep().block(Duration.ofSeconds(30));
		int afterStart = searches.get();
		for (int i = 1; i <= 20; i++) {
			submit("PMH-" + i, i);
			outbox.trigger("PMH-" + i);
		}
		awaitAllSent(outbox);
		assertThat(searches.get()).isEqualTo(afterStart);
		assertThat(pending()).isZero();

		this.broker.close();
		this.broker = null;
		submit("PMH-21", 21);
		outbox.trigger("PMH-21");
		submit("PMH-22", 22);
		outbox.trigger("PMH-22");
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (searches.get() == afterStart && System.nanoTime() < deadline) {
			outbox.sweep().block(Duration.ofSeconds(30));
		}
		assertThat(searches.get()).isGreaterThan(afterStart);
		assertThat(pending()).isEqualTo(2);

		this.broker = KafkaBroker.start(this.dir.resolve("kafka"), port, controller, this.dir.resolve("logs"));
		awaitAllSent(outbox);
		assertThat(pending()).isZero();
		List<String> ids = received(22).stream().map(ConsumerRecord::key).toList();
		assertThat(ids).hasSize(22).doesNotHaveDuplicates();
	}

	private void awaitAllSent(Outbox<String> outbox) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!this.unsent.isEmpty() && System.nanoTime() < deadline) {
			outbox.sweep().block(Duration.ofSeconds(30));
			Thread.sleep(100);
		}
		outbox.sweep().block(Duration.ofSeconds(30));
		assertThat(this.unsent).isEmpty();
	}

	private void submit(String id, int secondsAfterStart) {
		this.unsent.put(id, Instant.parse("2026-12-01T02:00:00Z").plusSeconds(secondsAfterStart));
	}

	private double pending() {
		return this.meters.get("mpp.outbox.pending").tag("topic", TOPIC).gauge().value();
	}

	private double oldestAge() {
		return this.meters.get("mpp.outbox.oldest.age").tag("topic", TOPIC).gauge().value();
	}

	private List<ConsumerRecord<String, String>> received(int expected) {
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker.bootstrapServers(), "outbox-tests", false);
		props.put("auto.offset.reset", "earliest");
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
				new StringDeserializer())
			.createConsumer()) {
			consumer.subscribe(List.of(TOPIC));
			List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (records.size() < expected && System.nanoTime() < deadline) {
				KafkaTestUtils.getRecords(consumer, Duration.ofMillis(500)).forEach(records::add);
			}
			return records;
		}
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
