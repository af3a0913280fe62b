package id.mppdigital.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local stack's broker as an attacker on the same machine meets it (a real broker with SASL and
 * the standard authorizer, users and ACLs set by the platform from the contract): nobody gets in
 * without credentials, and each service's principal may write only what it produces and read only
 * what it consumes — so a forged state change or standard cannot even be written, and the submitted
 * applications (NIK, name, phone) cannot be read by a service without a need.
 */
class KafkaSecurityTests {

	static final String SUBMITTED = "mpp.application.submitted.v1";

	static final String STATE_CHANGED = "mpp.application.state-changed.v1";

	static final String PUBLISHED = "mpp.catalog.service-standard-published.v1";

	@TempDir
	static Path dir;

	static KafkaBroker broker;

	static Map<String, String> passwords;

	/** Two agencies of the catalog, each with its own principal (as the platform makes them). */
	static final List<String> AGENCIES = List.of("bpn", "pln");

	@BeforeAll
	static void secureBroker() throws Exception {
		KafkaAccess access = KafkaAccess.fromContracts().forAgencies(AGENCIES);
		List<String> principals = new ArrayList<>(List.of(KafkaAccess.ADMIN));
		principals.addAll(access.principals());
		principals.add("queue-service");
		AGENCIES.forEach(agency -> principals.add("agency-" + agency));
		passwords = Secrets.load(dir.resolve("kafka-credentials.properties"), principals);
		broker = KafkaBroker.start(dir.resolve("kafka"), freePort(), freePort(), dir.resolve("logs"),
				passwords.get(KafkaAccess.ADMIN));
		access.applyWhenUp(broker.adminClientConfig(), passwords, Duration.ofSeconds(120)).get(150, TimeUnit.SECONDS);
		try (Admin admin = Admin.create(broker.adminClientConfig())) {
			admin.createTopics(List.of(new NewTopic(SUBMITTED, 1, (short) 1), new NewTopic(STATE_CHANGED, 1, (short) 1),
					new NewTopic(PUBLISHED, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static KafkaProducer<String, String> producer(Map<String, Object> client) {
		Map<String, Object> config = new HashMap<>(client);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

	private static KafkaConsumer<String, String> consumer(Map<String, Object> client, String group) {
		Map<String, Object> config = new HashMap<>(client);
		if (group != null) {
			config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		}
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
		return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
	}

	private static Map<String, Object> as(String principal) {
		return principal.equals(KafkaAccess.ADMIN) ? broker.adminClientConfig()
				: broker.clientConfig(principal, passwords.get(principal));
	}

	private static void send(String principal, String topic, String value) throws Exception {
		try (KafkaProducer<String, String> producer = producer(as(principal))) {
			producer.send(new ProducerRecord<>(topic, "k", value)).get(15, TimeUnit.SECONDS);
		}
	}

	/** Everything on the topic's only partition, read as {@code principal} without a consumer group. */
	private static List<String> read(String principal, String topic) {
		try (KafkaConsumer<String, String> consumer = consumer(as(principal), null)) {
			TopicPartition partition = new TopicPartition(topic, 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			List<String> values = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
				if (!values.isEmpty() && consumer.position(partition) >= consumer.endOffsets(List.of(partition)).get(partition)) {
					break;
				}
			}
			return values;
		}
	}

	@Test
	void aClientWithoutCredentialsOrWithWrongOnesIsRefused() {
		// no SASL at all: the broker never answers a metadata request
		assertThatThrownBy(() -> {
			try (KafkaProducer<String, String> producer = producer(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
				producer.send(new ProducerRecord<>(STATE_CHANGED, "k", "{}")).get(15, TimeUnit.SECONDS);
			}
		}).hasRootCauseInstanceOf(TimeoutException.class);
		// a real user name with a guessed password
		assertThatThrownBy(() -> {
			try (KafkaProducer<String, String> producer = producer(
					broker.clientConfig("application-service", "guessed-password"))) {
				producer.send(new ProducerRecord<>(STATE_CHANGED, "k", "{}")).get(15, TimeUnit.SECONDS);
			}
		}).hasRootCauseInstanceOf(SaslAuthenticationException.class);
		// the admin's PLAIN credential is the broker's own, not a user any service knows
		assertThatThrownBy(() -> {
			try (KafkaProducer<String, String> producer = producer(broker.clientConfig(KafkaAccess.ADMIN,
					passwords.get("application-service")))) {
				producer.send(new ProducerRecord<>(STATE_CHANGED, "k", "{}")).get(15, TimeUnit.SECONDS);
			}
		}).hasRootCauseInstanceOf(SaslAuthenticationException.class);
	}

	@Test
	void aServiceWritesOnlyTheTopicsItProduces() throws Exception {
		// the forged records of the review: a state change from notification-service's (or any
		// other) principal, a second "published" standard from application-service's
		assertThatThrownBy(() -> send("notification-service", STATE_CHANGED, "{\"state\":\"HACKED\"}"))
			.hasRootCauseInstanceOf(TopicAuthorizationException.class);
		assertThatThrownBy(() -> send("queue-service", STATE_CHANGED, "{\"note\":\"transfer Rp500.000 ke rek 123\"}"))
			.hasRootCauseInstanceOf(TopicAuthorizationException.class);
		assertThatThrownBy(() -> send("application-service", PUBLISHED, "{\"eventId\":\"akta-kelahiran@1\"}"))
			.hasRootCauseInstanceOf(TopicAuthorizationException.class);
		assertThatThrownBy(() -> send("service-catalog", SUBMITTED, "{}"))
			.hasRootCauseInstanceOf(TopicAuthorizationException.class);

		send("application-service", STATE_CHANGED, "{\"from\":\"application-service\"}");
		send("service-catalog", PUBLISHED, "{\"from\":\"service-catalog\"}");
		assertThat(read(KafkaAccess.ADMIN, STATE_CHANGED)).contains("{\"from\":\"application-service\"}")
			.noneMatch(value -> value.contains("HACKED") || value.contains("Rp500.000"));
		assertThat(read(KafkaAccess.ADMIN, PUBLISHED)).noneMatch(value -> value.contains("akta-kelahiran@1"));
	}

	@Test
	void aServiceReadsOnlyWhatItConsumesAndOnlyInItsOwnGroup() throws Exception {
		send("application-service", SUBMITTED, "{\"nik\":\"3513014107900001\"}");
		// personal data: no service reads the submitted applications yet (the agency adapter will)
		for (String principal : List.of("notification-service", "service-catalog", "queue-service")) {
			assertThatThrownBy(() -> read(principal, SUBMITTED)).as(principal)
				.isInstanceOf(TopicAuthorizationException.class);
		}
		send("application-service", STATE_CHANGED, "{\"for\":\"notification-service\"}");
		assertThatThrownBy(() -> read("service-catalog", STATE_CHANGED)).isInstanceOf(TopicAuthorizationException.class);

		// notification-service reads state changes in its own group, and in no other
		try (KafkaConsumer<String, String> consumer = consumer(as("notification-service"), "notification-service")) {
			consumer.subscribe(List.of(STATE_CHANGED));
			List<String> values = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (values.isEmpty() && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
			}
			assertThat(values).contains("{\"for\":\"notification-service\"}");
		}
		try (KafkaConsumer<String, String> consumer = consumer(as("notification-service"), "application-service-standards")) {
			consumer.subscribe(List.of(STATE_CHANGED));
			assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(8)))
				.isInstanceOf(GroupAuthorizationException.class);
		}
		// the catalog's index groups by prefix, one per instance
		send("service-catalog", PUBLISHED, "{\"for\":\"the index\"}");
		try (KafkaConsumer<String, String> consumer = consumer(as("service-catalog"), "service-catalog-index-a1b2")) {
			consumer.subscribe(List.of(PUBLISHED));
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (records.isEmpty() && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
			assertThat(records).isNotEmpty();
		}
	}

	/**
	 * X-Road's per-service access rights, as Kafka ACLs the platform made from the catalog's agencies:
	 * each agency's principal reads only its own applications (in its own groups) and writes only its
	 * own reports; none reads the submitted applications or writes an internal topic.
	 */
	@Test
	void anAgencyReachesOnlyItsOwnTopics() throws Exception {
		try (Admin admin = Admin.create(broker.adminClientConfig())) {
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("mpp.agency.pln.applications.v1",
					"mpp.agency.pln.reports.v1", "mpp.agency.bpn.applications.v1", "mpp.agency.bpn.reports.v1");
		}
		send("agency-adapter", "mpp.agency.pln.applications.v1", "{\"for\":\"pln\"}");
		send("agency-adapter", "mpp.agency.bpn.applications.v1", "{\"for\":\"bpn\"}");
		try (KafkaConsumer<String, String> consumer = consumer(as("agency-pln"), "agency-pln-back-office")) {
			consumer.subscribe(List.of("mpp.agency.pln.applications.v1"));
			List<String> values = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (values.isEmpty() && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
			}
			assertThat(values).containsExactly("{\"for\":\"pln\"}");
		}
		// not another agency's applications, nor the platform's own, nor in another's group
		assertThatThrownBy(() -> read("agency-pln", "mpp.agency.bpn.applications.v1"))
			.isInstanceOf(TopicAuthorizationException.class);
		assertThatThrownBy(() -> read("agency-bpn", SUBMITTED)).isInstanceOf(TopicAuthorizationException.class);
		try (KafkaConsumer<String, String> consumer = consumer(as("agency-pln"), "agency-bpn-back-office")) {
			consumer.subscribe(List.of("mpp.agency.pln.applications.v1"));
			assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(8))).isInstanceOf(GroupAuthorizationException.class);
		}
		// its own reports, and no one else's; no internal topic
		send("agency-pln", "mpp.agency.pln.reports.v1", "{\"from\":\"pln\"}");
		for (String topic : List.of("mpp.agency.bpn.reports.v1", "mpp.agency.report-accepted.v1", STATE_CHANGED, SUBMITTED,
				"mpp.agency.pln.applications.v1")) {
			assertThatThrownBy(() -> send("agency-pln", topic, "{\"forged\":true}")).as(topic)
				.hasRootCauseInstanceOf(TopicAuthorizationException.class);
		}
		assertThat(read(KafkaAccess.ADMIN, "mpp.agency.bpn.reports.v1")).noneMatch(value -> value.contains("forged"));
	}

	@Test
	void theGrantsAreExactlyTheContractsAndTheDocumentedTable() throws Exception {
		KafkaAccess access = KafkaAccess.fromContracts().forAgencies(AGENCIES);
		try (Admin admin = Admin.create(broker.adminClientConfig())) {
			// a grant someone added by hand is taken away on the next start; applying again changes nothing else
			AclBinding byHand = new AclBinding(new ResourcePattern(ResourceType.TOPIC, SUBMITTED, PatternType.LITERAL),
					new AccessControlEntry("User:notification-service", "*", AclOperation.READ, AclPermissionType.ALLOW));
			admin.createAcls(List.of(byHand)).all().get(30, TimeUnit.SECONDS);
			access.apply(admin, passwords);
			List<KafkaAccess.Grant> present = admin.describeAcls(AclBindingFilter.ANY)
				.values()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.map(KafkaAccess.Grant::of)
				.toList();
			assertThat(present).containsExactlyInAnyOrderElementsOf(access.grants());
		}
		catch (ExecutionException ex) {
			throw new AssertionError(ex.getCause());
		}
		String security = Files.readString(Path.of("..", "docs", "security.md"), StandardCharsets.UTF_8);
		assertThat(security).as("docs/security.md shows the ACL table the platform creates").contains(access.table());
	}

}
