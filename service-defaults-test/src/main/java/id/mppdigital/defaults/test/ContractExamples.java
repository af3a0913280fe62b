package id.mppdigital.defaults.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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

}
