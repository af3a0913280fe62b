package id.mppdigital.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The launcher's infrastructure, for real: it starts the broker and the MongoDB-wire store, they
 * answer real clients, their data survives a restart, and stopping them leaves nothing running.
 */
class LocalStackTests {

	@TempDir
	Path dir;

	@Test
	void theMongoWireStoreAnswersTheDriverAndKeepsDataAcrossRestarts() {
		Path file = this.dir.resolve("mongo").resolve("mpp.mv");
		MongoWireStore store = MongoWireStore.start(file, "127.0.0.1", 0);
		try (MongoClient client = MongoClients.create(store.connectionString("mpp-catalog"))) {
			// the command Spring Boot's health indicator sends
			assertThat(client.getDatabase("mpp-catalog").runCommand(new Document("hello", 1)).get("ok"))
				.isIn(1, 1.0);
			client.getDatabase("mpp-catalog").getCollection("mpps")
				.insertOne(new Document("_id", "kota-probolinggo").append("name", "MPP Kota Probolinggo"));
		}
		int port = store.port();
		store.close();
		assertThat(listening(port)).isFalse();

		MongoWireStore reopened = MongoWireStore.start(file, "127.0.0.1", 0);
		try (MongoClient client = MongoClients.create(reopened.connectionString("mpp-catalog"))) {
			MongoCollection<Document> mpps = client.getDatabase("mpp-catalog").getCollection("mpps");
			assertThat(mpps.find(new Document("_id", "kota-probolinggo")).first())
				.containsEntry("name", "MPP Kota Probolinggo");
		}
		finally {
			reopened.close();
		}
	}

	@Test
	void theKafkaBrokerStartsAnswersKeepsItsTopicsAndStops() throws Exception {
		int port = freePort();
		int controllerPort = freePort();
		Path data = this.dir.resolve("kafka");
		Path logs = this.dir.resolve("logs");

		KafkaBroker broker = KafkaBroker.start(data, port, controllerPort, logs);
		try {
			try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
				assertThat(admin.describeCluster().nodes().get()).hasSize(1);
				admin.createTopics(List.of(new NewTopic("mpp.test.smoke.v1", 1, (short) 1))).all().get();
			}
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
				producer.send(new ProducerRecord<>("mpp.test.smoke.v1", "a-042", "called")).get();
			}
			try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
				consumer.subscribe(List.of("mpp.test.smoke.v1"));
				ConsumerRecords<String, String> records = ConsumerRecords.empty();
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (records.isEmpty() && System.nanoTime() < deadline) {
					records = consumer.poll(Duration.ofMillis(500));
				}
				assertThat(records.records("mpp.test.smoke.v1")).singleElement()
					.satisfies(record -> assertThat(record.value()).isEqualTo("called"));
			}
		}
		finally {
			broker.close();
		}
		assertThat(broker.process().isAlive()).isFalse();
		assertThat(listening(port)).isFalse();

		// the same data directory again: not re-formatted, the topic is still there
		KafkaBroker restarted = KafkaBroker.start(data, port, controllerPort, logs);
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
			assertThat(admin.listTopics().names().get()).contains("mpp.test.smoke.v1");
		}
		finally {
			restarted.close();
		}
	}

	@Test
	void refusesToStartWhenTheServicesAreNotBuilt() {
		LocalStack.Options options = LocalStack.Options.parse(new String[] { "--root=" + this.dir, "--dir=" + this.dir });
		assertThatThrownBy(() -> LocalStack.start(options)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("registry.jar is missing");
		assertThatThrownBy(() -> LocalStack.Options.parse(new String[] { "--frsh" }))
			.hasMessageContaining("Unknown option --frsh");
		LocalStack.Options typo = LocalStack.Options
			.parse(new String[] { "--root=" + this.dir, "--dir=" + this.dir, "--services=gateway,catalog" });
		assertThatThrownBy(() -> LocalStack.start(typo)).hasMessageContaining("do not exist: ");
		if (Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
			LocalStack.Options ephemeral = LocalStack.Options
				.parse(new String[] { "--root=" + this.dir, "--dir=" + this.dir, "--port-offset=30000" });
			assertThatThrownBy(() -> LocalStack.start(ephemeral)).hasMessageContaining("ephemeral range");
		}
	}

	private static Properties producerConfig(KafkaBroker broker) {
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		return props;
	}

	private static Properties consumerConfig(KafkaBroker broker) {
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke");
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		return props;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
