package id.mppdigital.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One event as it goes to Kafka: a JSON payload with CloudEvents binary-mode headers
 * ({@code contracts/asyncapi.yaml}).
 *
 * @param key the record key (what must stay in order: a standard's versions, an agency's applications)
 * @param id {@code ce_id}: the same on every redelivery, so consumers can drop repeats
 * @param type {@code ce_type}, e.g. {@code id.mppdigital.application.submitted.v1}
 * @param source {@code ce_source}, e.g. {@code /application-service}
 * @param time {@code ce_time}: when what the event reports happened
 */
public record OutboxEvent(String topic, String key, String id, String type, String source, Instant time,
		String json) {

	/** The Kafka record: the JSON as value, the CloudEvents attributes as headers. */
	public ProducerRecord<String, String> record() {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, this.key, this.json);
		header(record, "ce_specversion", "1.0");
		header(record, "ce_id", this.id);
		header(record, "ce_type", this.type);
		header(record, "ce_source", this.source);
		header(record, "ce_time", this.time.toString());
		header(record, "content-type", "application/json");
		return record;
	}

	private static void header(ProducerRecord<String, String> record, String name, String value) {
		record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
