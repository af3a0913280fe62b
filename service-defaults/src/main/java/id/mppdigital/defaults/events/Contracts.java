package id.mppdigital.defaults.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.function.SingletonSupplier;

/**
 * Reads an event the way a consumer should: checks the record against its topic's published schema
 * ({@code contracts/events/<topic>.schema.json}, shipped in the {@code contracts} jar), then maps it
 * onto the consumer's own narrow record — only the fields it uses, unknown ones ignored, as the
 * contract allows. A record that breaks the contract is a {@link ContractViolation}: dead-lettered at
 * once, never half-applied.
 */
public final class Contracts {

	private static final String LOCATION = "contracts/events/%s.schema.json";

	private static final String ASYNCAPI = "contracts/asyncapi.yaml";

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

	private final JsonMapper json;

	private final Supplier<Map<String, Schema>> headerSchemas = SingletonSupplier.of(this::loadHeaderSchemas);

	/**
	 * The channels that stand for one topic per agency ({@code mpp.agency.{agencyId}.reports.v1}):
	 * their address as a pattern, and the contract their payload refers to.
	 */
	private final Supplier<Map<Pattern, String>> templated = SingletonSupplier.of(this::loadTemplatedChannels);

	public Contracts(JsonMapper json) {
		// the contract decides what must be there; fields added later within the major version are ignored
		this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	/**
	 * The record's value as {@code type}, after checking it against its topic's contract: its
	 * CloudEvents headers against the channel's message headers in {@code contracts/asyncapi.yaml}
	 * (which name the one producer, {@code ce_source}, and the event type), then its value against
	 * the topic's schema.
	 */
	public <T> T read(ConsumerRecord<?, String> record, Class<T> type) {
		checkHeaders(record);
		return read(contractOf(record.topic()), record.value(), type);
	}

	/** The contract of a topic: its own, or that of the per-agency channel it is one of. */
	String contractOf(String topic) {
		return channelOf(topic).map(this.templated.get()::get).orElse(topic);
	}

	/** The per-agency channel a topic is one of ({@code mpp.agency.pln.reports.v1} → its pattern). */
	private Optional<Pattern> channelOf(String topic) {
		return this.templated.get().keySet().stream().filter(pattern -> pattern.matcher(topic).matches()).findFirst();
	}

	private void checkHeaders(ConsumerRecord<?, String> record) {
		Schema headers = this.headerSchemas.get().get(record.topic());
		if (headers == null) {
			headers = channelOf(record.topic()).map(pattern -> this.headerSchemas.get().get(pattern.pattern())).orElse(null);
		}
		if (headers == null) {
			return; // a topic the published document does not describe (tests' own topics)
		}
		ObjectNode present = this.json.createObjectNode();
		for (Header header : record.headers()) {
			present.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
		}
		List<Error> errors = headers.validate(present);
		if (!errors.isEmpty()) {
			throw new ContractViolation("headers do not fit " + record.topic() + " (not from its producer?): "
					+ errors.stream()
						.limit(5)
						.map(error -> error.getInstanceLocation() + " " + error.getMessage())
						.collect(Collectors.joining("; ")));
		}
	}

	@SuppressWarnings("unchecked")
	private Map<Pattern, String> loadTemplatedChannels() {
		Map<Pattern, String> channels = new HashMap<>();
		try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(ASYNCAPI)) {
			if (in == null) {
				return channels;
			}
			Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			((Map<String, Map<String, Object>>) document.get("channels")).values().forEach(channel -> {
				String address = (String) channel.get("address");
				if (!address.contains("{")) {
					return;
				}
				((Map<String, Map<String, Object>>) channel.get("messages")).values()
					.stream()
					.map(message -> message.get("payload"))
					.filter(Map.class::isInstance)
					.map(payload -> (String) ((Map<String, Object>) payload).get("$ref"))
					.filter(ref -> ref != null && ref.endsWith(".schema.json"))
					.findFirst()
					.ifPresent(ref -> channels.put(pattern(address),
							ref.substring(ref.lastIndexOf('/') + 1, ref.length() - ".schema.json".length())));
			});
			return channels;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code mpp.agency.{agencyId}.reports.v1} as a pattern: each parameter one lower-case id. */
	static Pattern pattern(String address) {
		return Pattern.compile(Pattern.quote(address).replaceAll("\\{[A-Za-z]+\\}", "\\\\E[a-z0-9-]+\\\\Q"));
	}

	/** Each channel's message headers schema, by topic, from the packaged AsyncAPI document. */
	@SuppressWarnings("unchecked")
	private Map<String, Schema> loadHeaderSchemas() {
		Map<String, Schema> byTopic = new HashMap<>();
		try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(ASYNCAPI)) {
			if (in == null) {
				return byTopic;
			}
			Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) document.get("channels");
			channels.values().forEach(channel -> {
				Map<String, Map<String, Object>> messages = (Map<String, Map<String, Object>>) channel.get("messages");
				messages.values()
					.stream()
					.map(message -> message.get("headers"))
					.filter(Map.class::isInstance)
					.findFirst()
					.ifPresent(schema -> {
						String address = (String) channel.get("address");
						// a per-agency channel's headers under its pattern's text
						byTopic.put(address.contains("{") ? pattern(address).pattern() : address,
								this.registry.getSchema(this.json.valueToTree(schema)));
					});
			});
			return byTopic;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A value that did not come as a Kafka record (an agency's webhook call, a row of its file) as
	 * {@code type}, after checking it against the contract it must fit
	 * ({@code contracts/events/<contract>.schema.json}).
	 */
	public <T> T read(String contract, String value, Class<T> type) {
		if (value == null) {
			throw new ContractViolation("no value: " + contract + " records carry a JSON event");
		}
		JsonNode event;
		try {
			event = this.json.readTree(value);
		}
		catch (JacksonException ex) {
			throw new ContractViolation("not JSON: " + ex.getOriginalMessage());
		}
		List<Error> errors = schema(contract).validate(event);
		if (!errors.isEmpty()) {
			throw new ContractViolation("does not fit " + contract + ": " + errors.stream()
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
