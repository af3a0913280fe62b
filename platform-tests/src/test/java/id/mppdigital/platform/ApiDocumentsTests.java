package id.mppdigital.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static id.mppdigital.platform.DeploymentDocumentsTests.at;
import static id.mppdigital.platform.DeploymentDocumentsTests.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published interfaces as an integrator reads them, checked with the tools of their ecosystem
 * ({@link NodeTools}: the AsyncAPI reference parser) and against the code they describe: every topic
 * the services name is a channel, every message says its CloudEvents headers and its key, and every
 * consumer's dead letters have a channel of their own.
 */
class ApiDocumentsTests {

	static final Path ASYNCAPI = DeploymentDocumentsTests.ROOT.resolve("contracts/asyncapi.yaml");

	private static final Pattern TOPIC = Pattern.compile("\"(mpp\\.[a-z0-9-]+(\\.[a-z0-9-]+)*\\.v[0-9]+)\"");

	static Map<String, Object> asyncApi;

	@BeforeAll
	static void read() throws IOException {
		asyncApi = new Yaml().load(Files.readString(ASYNCAPI));
	}

	@Test
	void theEventContractsPassTheAsyncApiParser() throws Exception {
		NodeTools.Result parsed = NodeTools.run("asyncapi.mjs", ASYNCAPI.toString());
		assertThat(parsed.exitCode()).as(parsed.output() + parsed.errors()).isZero();
		assertThat(parsed.output()).contains("parsed: 0 errors");
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyTopicTheServicesNameIsAChannelWithItsHeadersKeyAndBindings() throws IOException {
		Map<String, Object> channels = map(asyncApi.get("channels"));
		Set<String> addresses = new LinkedHashSet<>();
		channels.values().forEach(channel -> addresses.add((String) map(channel).get("address")));
		for (String topic : topicsNamedInMainCode()) {
			// a topic per agency (mpp.agency.{agencyId}.reports.v1) is named by its contract in the code
			assertThat(addresses.stream().anyMatch(address -> address.equals(topic)
					|| address.replace(".{agencyId}", "").equals(topic)))
				.as("a channel for %s", topic)
				.isTrue();
		}
		channels.forEach((name, value) -> {
			Map<String, Object> channel = map(value);
			assertThat(at(channel, "bindings", "kafka", "partitions")).as("%s: Kafka binding", name).isInstanceOf(Integer.class);
			map(channel.get("messages")).values().forEach(reference -> {
				Map<String, Object> message = resolve(map(reference));
				assertThat(at(message, "bindings", "kafka", "key")).as("%s: the message's key", name).isNotNull();
				Map<String, Object> headers = map(at(message, "headers", "properties"));
				assertThat(headers).as("%s: CloudEvents headers", name)
					.containsKeys("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time");
				if (!((String) channel.get("address")).endsWith(".DLT")) {
					assertThat((List<Object>) at(message, "headers", "required")).as("%s: required headers", name)
						.contains("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time");
					assertThat(at(message, "payload", "$ref")).as("%s: the payload's schema", name).isNotNull();
				}
			});
		});
	}

	@Test
	void everyConsumerHasItsGroupAndItsDeadLetterChannel() {
		Map<String, Object> channels = map(asyncApi.get("channels"));
		List<Map<String, Object>> operations = map(asyncApi.get("operations")).values().stream().map(DeploymentDocumentsTests::map).toList();
		List<String> receives = new ArrayList<>();
		for (Map<String, Object> operation : operations) {
			if (!"receive".equals(operation.get("action"))) {
				continue;
			}
			String principal = (String) operation.get("x-mpp-principal");
			String channel = channelName(operation);
			receives.add(principal + " <- " + channel);
			assertThat(at(operation, "bindings", "kafka", "groupId")).as("%s reading %s: its group", principal, channel)
				.isNotNull();
			if (principal.contains("{agencyId}")) {
				// an agency's own system: what it cannot take is its own business
				continue;
			}
			String deadLetters = map(channels.get(channel)).get("address") + ".DLT";
			assertThat(operations.stream()
				.filter(send -> "send".equals(send.get("action")) && principal.equals(send.get("x-mpp-principal")))
				.map(send -> (String) map(channels.get(channelName(send))).get("address")))
				.as("%s reading %s dead-letters to %s", principal, channel, deadLetters)
				.contains(deadLetters);
		}
		// the consumers the code has (Kafka ACLs are granted from these operations: one missing here
		// would leave its service unable to read)
		assertThat(receives).contains("notification-service <- applicationStateChanged",
				"notification-service <- ticketCalled", "notification-service <- turnNear",
				"service-catalog <- serviceStandardPublished", "application-service <- serviceStandardPublished",
				"application-service <- agencyReportAccepted", "queue-service <- queueBoard",
				"agency-adapter <- applicationSubmitted", "agency-adapter <- agencyReports");
	}

	private static String channelName(Map<String, Object> operation) {
		String reference = (String) map(operation.get("channel")).get("$ref");
		return reference.substring(reference.lastIndexOf('/') + 1);
	}

	/** A message, or the component its {@code $ref} names. */
	private static Map<String, Object> resolve(Map<String, Object> message) {
		Object reference = message.get("$ref");
		if (reference == null) {
			return message;
		}
		String name = ((String) reference).substring(((String) reference).lastIndexOf('/') + 1);
		return map(at(asyncApi, "components", "messages", name));
	}

	/** The topic names in the services' main code. */
	private static Set<String> topicsNamedInMainCode() throws IOException {
		Set<String> topics = new LinkedHashSet<>();
		for (String module : DeploymentDocumentsTests.MODULES) {
			Path sources = DeploymentDocumentsTests.ROOT.resolve(module).resolve("src/main/java");
			try (Stream<Path> files = Files.walk(sources)) {
				for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
					Matcher topic = TOPIC.matcher(Files.readString(file));
					while (topic.find()) {
						topics.add(topic.group(1));
					}
				}
			}
		}
		assertThat(topics).as("topics named in the code").hasSizeGreaterThan(8);
		return topics;
	}

}
