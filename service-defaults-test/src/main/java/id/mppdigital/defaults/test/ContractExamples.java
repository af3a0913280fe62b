package id.mppdigital.defaults.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The examples a topic's published contract carries ({@code contracts/events/<topic>.schema.json}):
 * consumer tests start from them, so a consumer is tested against what the producer promises rather
 * than against a shape its own author made up.
 */
public final class ContractExamples {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ContractExamples() {
	}

	/** The contract's first example, to change a field or two of. */
	public static ObjectNode first(String topic) {
		return (ObjectNode) schema(topic).path("examples").get(0).deepCopy();
	}

	private static JsonNode schema(String topic) {
		String location = "contracts/events/" + topic + ".schema.json";
		try (InputStream in = ContractExamples.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalArgumentException("No published contract " + location);
			}
			return json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String text(JsonNode event) {
		return json.writeValueAsString(event);
	}

	/**
	 * The record as the topic's producer sends it: the value, and the CloudEvents headers the
	 * contract's channel requires ({@code ce_type} and {@code ce_source} as {@code asyncapi.yaml} fixes
	 * them, {@code ce_id} the event's {@code eventId} when it has one).
	 */
	public static ProducerRecord<String, String> record(String topic, String key, String value) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
		String id = UUID.randomUUID().toString();
		try {
			JsonNode eventId = json.readTree(value).path("eventId");
			id = eventId.isString() ? eventId.asString() : id;
		}
		catch (RuntimeException notJson) {
			// a test's poison value: headers as the producer would send them all the same
		}
		header(record, "ce_specversion", "1.0");
		header(record, "ce_id", id);
		header(record, "ce_type", headerConstant(topic, "ce_type"));
		header(record, "ce_source", headerConstant(topic, "ce_source"));
		header(record, "ce_time", Instant.now().toString());
		return record;
	}

	/** {@link #record(String, String, String)} with another header value, as a forger would send it. */
	public static ProducerRecord<String, String> record(String topic, String key, String value, String header,
			String headerValue) {
		ProducerRecord<String, String> record = record(topic, key, value);
		record.headers().remove(header);
		header(record, header, headerValue);
		return record;
	}

	private static void header(ProducerRecord<String, String> record, String name, String value) {
		record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	private static String headerConstant(String topic, String header) {
		try (InputStream in = ContractExamples.class.getClassLoader().getResourceAsStream("contracts/asyncapi.yaml")) {
			Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			for (Object channel : ((Map<String, Object>) document.get("channels")).values()) {
				Map<String, Object> each = (Map<String, Object>) channel;
				if (topic.equals(each.get("address"))) {
					for (Object message : ((Map<String, Object>) each.get("messages")).values()) {
						Map<String, Object> headers = (Map<String, Object>) ((Map<String, Object>) message).get("headers");
						if (headers != null) {
							return (String) ((Map<String, Object>) ((Map<String, Object>) headers.get("properties"))
								.get(header)).get("const");
						}
					}
				}
			}
			throw new IllegalArgumentException("asyncapi.yaml fixes no " + header + " for " + topic);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
