package id.mppdigital.defaults.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Reads what lands in a topic's dead-letter topic from now on, as an operator would.
 */
public final class DeadLetterProbe implements AutoCloseable {

	private final Consumer<String, String> consumer;

	private DeadLetterProbe(Consumer<String, String> consumer) {
		this.consumer = consumer;
	}

	/** Waits until the consuming service has declared {@code <topic>.DLT}, then reads it from its end. */
	public static DeadLetterProbe of(EmbeddedKafkaBroker broker, String topic) {
		Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "dlt-probe-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "latest");
		Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
				new StringDeserializer())
			.createConsumer();
		String dlt = topic + ".DLT";
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!consumer.listTopics().containsKey(dlt)) {
			if (System.nanoTime() > deadline) {
				consumer.close();
				throw new AssertionError(dlt + " was never declared");
			}
			sleep();
		}
		consumer.subscribe(List.of(dlt));
		// join the group and take the current end as the start
		KafkaTestUtils.getRecords(consumer, Duration.ofSeconds(2));
		return new DeadLetterProbe(consumer);
	}

	/** The next {@code count} dead letters (fails after 30 s). */
	public List<ConsumerRecord<String, String>> next(int count) {
		List<ConsumerRecord<String, String>> received = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (received.size() < count && System.nanoTime() < deadline) {
			KafkaTestUtils.getRecords(this.consumer, Duration.ofMillis(500)).forEach(received::add);
		}
		if (received.size() < count) {
			throw new AssertionError("expected " + count + " dead letters, got " + received.size() + ": " + received);
		}
		return received;
	}

	public static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

	private static void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.consumer.close();
	}

}
