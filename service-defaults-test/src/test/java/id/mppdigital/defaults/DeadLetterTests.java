package id.mppdigital.defaults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import id.mppdigital.defaults.events.DeadLetters;
import id.mppdigital.defaults.test.DeadLetterProbe;
import id.mppdigital.localstack.MongoWireStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one consumer pattern on a real broker: a record that breaks its topic's contract goes to
 * {@code <topic>.DLT} at once with the reason in its headers, one that keeps failing is retried a
 * bounded number of times and then dead-lettered, and in both cases the next record flows.
 */
@SpringBootTest(classes = ProbeService.class,
		properties = { "spring.application.name=probe-service", "eureka.client.enabled=false",
				"mpp.security.issuer-uri=http://127.0.0.1:9/issuer",
				"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.events.retry.initial-interval=50ms", "mpp.events.retry.max-interval=100ms",
				"mpp.events.retry.max-attempts=3" })
// as in production, consumers do not create topics: their producers declare them
@EmbeddedKafka(partitions = 1, topics = ProbeService.TOPIC, brokerProperties = "auto.create.topics.enable=false")
class DeadLetterTests {

	static final String DLT = ProbeService.TOPIC + ".DLT";

	static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("probe"));
	}

	@AfterAll
	static void stop() {
		mongo.close();
	}

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	ProbeService service;

	@Autowired
	MeterRegistry meters;

	DeadLetterProbe deadLetters;

	@BeforeEach
	void readDeadLetters() {
		// the consumer declared its dead-letter topic at start-up
		this.deadLetters = DeadLetterProbe.of(this.broker, ProbeService.TOPIC);
	}

	@AfterEach
	void close() {
		this.deadLetters.close();
		this.service.failingCount.set(-1);
	}

	@Test
	void aRecordThatBreaksTheContractIsDeadLetteredAtOnceAndTheNextOneFlows() throws Exception {
		int before = this.service.deliveries.get();
		this.kafka.send(ProbeService.TOPIC, "a", "this is not JSON").get();
		this.kafka.send(ProbeService.TOPIC, "b", "{\"eventId\":\"probe@2\",\"count\":\"two\"}").get();
		this.kafka.send(ProbeService.TOPIC, "c", "{\"eventId\":\"probe@3\",\"count\":3}").get();

		List<ConsumerRecord<String, String>> dead = deadLetters(2);
		assertThat(dead).extracting(ConsumerRecord::value)
			.containsExactly("this is not JSON", "{\"eventId\":\"probe@2\",\"count\":\"two\"}");
		assertThat(header(dead.get(0), DeadLetters.REASON_HEADER)).startsWith("contract: not JSON");
		assertThat(header(dead.get(1), DeadLetters.REASON_HEADER)).startsWith("contract: does not fit " + ProbeService.TOPIC)
			.contains("/count");
		assertThat(header(dead.get(0), "kafka_dlt-original-topic")).isEqualTo(ProbeService.TOPIC);
		assertThat(header(dead.get(0), "kafka_dlt-original-consumer-group")).isEqualTo("probe-service");
		await().atMost(Duration.ofSeconds(10)).until(() -> took("probe@3"));
		// neither poison reached the listener's own code, and neither was retried
		assertThat(this.service.deliveries.get() - before).isEqualTo(1);
		assertThat(this.meters.get("mpp.events.dead.letters").tag("topic", ProbeService.TOPIC)
			.tag("group", "probe-service").counter().count()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aRecordThatKeepsFailingIsRetriedABoundedNumberOfTimesThenDeadLetteredAndTheNextOneFlows() throws Exception {
		this.service.failingCount.set(7);
		int before = this.service.deliveries.get();
		this.kafka.send(ProbeService.TOPIC, "d", "{\"eventId\":\"probe@7\",\"count\":7}").get();
		this.kafka.send(ProbeService.TOPIC, "e", "{\"eventId\":\"probe@8\",\"count\":8}").get();

		List<ConsumerRecord<String, String>> dead = deadLetters(1);
		assertThat(dead.get(0).value()).isEqualTo("{\"eventId\":\"probe@7\",\"count\":7}");
		assertThat(dead.get(0).key()).isEqualTo("d");
		assertThat(header(dead.get(0), DeadLetters.REASON_HEADER)).isEqualTo("IllegalStateException: the store is down");
		await().atMost(Duration.ofSeconds(10)).until(() -> took("probe@8"));
		// three deliveries of the failing one (max-attempts), one of the next
		assertThat(this.service.deliveries.get() - before).isEqualTo(4);
		assertThat(took("probe@7")).isFalse();
	}

	@Test
	void aConsumerStartedBeforeItsTopicExistedReadsItOnceTheProducerCreatesIt() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			admin.createTopics(List.of(new NewTopic(ProbeService.LATE_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		this.kafka.send(ProbeService.LATE_TOPIC, "k", "first").get();
		// within the consumer's metadata refresh (10 s), not the client's default 5 minutes
		await().atMost(Duration.ofSeconds(30)).until(() -> this.service.late.contains("first"));
	}

	private boolean took(String eventId) {
		return this.service.taken.stream().anyMatch(probe -> probe.eventId().equals(eventId));
	}

	private List<ConsumerRecord<String, String>> deadLetters(int count) {
		return this.deadLetters.next(count);
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return DeadLetterProbe.header(record, name);
	}

}
