package id.mppdigital.defaults.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an event the way a consumer should: checks the record against its topic's published schema
 * ({@code contracts/events/<topic>.schema.json}, shipped in the {@code contracts} jar), then maps it
 * onto the consumer's own narrow record — only the fields it uses, unknown ones ignored, as the
 * contract allows. A record that breaks the contract is a {@link ContractViolation}: dead-lettered at
 * once, never half-applied.
 */
public final class Contracts {

	private static final String LOCATION = "contracts/events/%s.schema.json";

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

	private final JsonMapper json;

	public Contracts(JsonMapper json) {
		// the contract decides what must be there; fields added later within the major version are ignored
		this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	/** The record's value as {@code type}, after checking it against its topic's contract. */
	public <T> T read(ConsumerRecord<?, String> record, Class<T> type) {
		return read(record.topic(), record.value(), type);
	}

	private <T> T read(String topic, String value, Class<T> type) {
		if (value == null) {
			throw new ContractViolation("no value: " + topic + " records carry a JSON event");
		}
		JsonNode event;
		try {
			event = this.json.readTree(value);
		}
		catch (JacksonException ex) {
			throw new ContractViolation("not JSON: " + ex.getOriginalMessage());
		}
		List<Error> errors = schema(topic).validate(event);
		if (!errors.isEmpty()) {
			throw new ContractViolation("does not fit " + topic + ": " + errors.stream()
				.limit(5)
				.map(error -> error.getInstanceLocation() + " " + error.getMessage())
				.collect(Collectors.joining("; ")));
		}
		try {
			return this.json.treeToValue(event, type);
		}
		catch (JacksonException ex) {
			throw new ContractViolation("cannot be read as " + type.getSimpleName() + ": " + ex.getOriginalMessage());
		}
	}

	Schema schema(String topic) {
		return this.schemas.computeIfAbsent(topic, name -> {
			String location = LOCATION.formatted(name);
			try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(location)) {
				if (in == null) {
					throw new IllegalStateException("No published contract for topic " + name + " (" + location + ")");
				}
				return this.registry.getSchema(this.json.readTree(in));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

}
