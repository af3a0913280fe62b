package id.mppdigital.localstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one node), run as a child JVM so it
 * can be stopped by PID and its log kept apart. Its storage is formatted once; afterwards the same
 * directory is reused, so topics and offsets survive restarts of the local stack.
 * <p>
 * Secured (the local stack): clients authenticate with SASL/SCRAM-SHA-256 and the standard
 * authorizer allows only what an ACL grants ({@link KafkaAccess}); the broker itself and the
 * platform's set-up authenticate as {@link KafkaAccess#ADMIN}, the only super user, with PLAIN
 * (a static credential in the broker's configuration, so nothing has to be bootstrapped into the
 * storage and an existing data directory can be secured as it is). Open: for tests of a single
 * service, which never share a broker with anyone.
 */
public final class KafkaBroker implements AutoCloseable {

	static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1", "-Xss512k", "-Djava.awt.headless=true",
			"-Dlogback.configurationFile=local-stack-logback.xml");

	private final JavaProcess process;

	private final int port;

	private final String adminPassword;

	private KafkaBroker(JavaProcess process, int port, String adminPassword) {
		this.process = process;
		this.port = port;
		this.adminPassword = adminPassword;
	}

	/** An open broker: any client may do anything (tests of one service). */
	public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logDir) {
		return start(dataDir, port, controllerPort, logDir, null);
	}

	/**
	 * A secured broker when {@code adminPassword} is given: SASL on every listener, the standard
	 * authorizer, {@link KafkaAccess#ADMIN} the only super user.
	 */
	public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logDir, String adminPassword) {
		return start(dataDir, port, controllerPort, logDir, adminPassword, Map.of());
	}

	/**
	 * A secured broker whose storage, when it is new, is formatted with these SCRAM users already in
	 * it: a client never meets the broker before its user exists. (An idempotent producer whose first
	 * connection failed authentication stays failed: the catalog's could not publish until restarted.)
	 * Users added later are created by {@link KafkaAccess}.
	 */
	public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logDir, String adminPassword,
			Map<String, String> scramUsers) {
		Path config = writeConfig(dataDir, port, controllerPort, adminPassword);
		if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
			List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
					config.toString()));
			scramUsers.forEach((name, password) -> format.addAll(List.of("--add-scram",
					"SCRAM-SHA-256=[name=" + name + ",password=" + password + "]")));
			int exit = JavaProcess
				.startMain("kafka-format", "kafka.tools.StorageTool", JVM_FLAGS, format, Map.of(),
						logDir.resolve("kafka-format.log"))
				.waitFor(120);
			if (exit != 0) {
				throw new IllegalStateException("Formatting Kafka storage failed; see " + logDir.resolve("kafka-format.log"));
			}
		}
		JavaProcess process = JavaProcess.startMain("kafka", "kafka.Kafka", JVM_FLAGS, List.of(config.toString()),
				Map.of(), logDir.resolve("kafka.log"));
		return new KafkaBroker(process, port, adminPassword);
	}

	private static Path writeConfig(Path dataDir, int port, int controllerPort, String adminPassword) {
		Properties props = new Properties();
		props.setProperty("process.roles", "broker,controller");
		props.setProperty("node.id", "1");
		props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
		props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
		props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
		props.setProperty("controller.listener.names", "CONTROLLER");
		props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.setProperty("inter.broker.listener.name", "PLAINTEXT");
		props.setProperty("log.dirs", dataDir.resolve("log").toAbsolutePath().toString());
		props.setProperty("num.partitions", "3");
		props.setProperty("offsets.topic.replication.factor", "1");
		props.setProperty("transaction.state.log.replication.factor", "1");
		props.setProperty("transaction.state.log.min.isr", "1");
		props.setProperty("share.coordinator.state.topic.replication.factor", "1");
		props.setProperty("share.coordinator.state.topic.min.isr", "1");
		props.setProperty("group.initial.rebalance.delay.ms", "0");
		// Producers declare their topics (NewTopic beans); a typo must not create a silent new topic.
		props.setProperty("auto.create.topics.enable", "false");
		if (adminPassword != null) {
			secure(props, port, controllerPort, adminPassword);
		}
		try {
			Files.createDirectories(dataDir);
			Path file = dataDir.resolve("server.properties");
			try (Writer writer = Files.newBufferedWriter(file)) {
				props.store(writer, "written by the MPP Digital local stack on every start");
			}
			// it holds the admin credential
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write the Kafka configuration in " + dataDir, ex);
		}
	}

	private static void secure(Properties props, int port, int controllerPort, String adminPassword) {
		props.setProperty("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
		props.setProperty("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
		props.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
		props.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
		props.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
		props.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
		// services: SCRAM users the platform creates; PLAIN admits the admin alone (user_admin)
		props.setProperty("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN");
		props.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
		String plain = KafkaAccess.plainLogin(adminPassword) + " user_" + KafkaAccess.ADMIN + "=\"" + adminPassword + "\";";
		props.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain);
		props.setProperty("listener.name.controller.plain.sasl.jaas.config", plain);
		props.setProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required;");
		props.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
		props.setProperty("super.users", "User:" + KafkaAccess.ADMIN);
		props.setProperty("allow.everyone.if.no.acl.found", "false");
	}

	/** Client settings of the platform's admin (SASL PLAIN), for set-up and operators' tools. */
	public Map<String, Object> adminClientConfig() {
		if (this.adminPassword == null) {
			return Map.of("bootstrap.servers", bootstrapServers());
		}
		return KafkaAccess.adminClientConfig(bootstrapServers(), this.adminPassword);
	}

	/** Client settings of a service's principal (SASL SCRAM-SHA-256), as service-defaults derives them. */
	public Map<String, Object> clientConfig(String principal, String password) {
		return Map.of("bootstrap.servers", bootstrapServers(), "security.protocol", "SASL_PLAINTEXT",
				"sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
						+ "\" password=\"" + password + "\";");
	}

	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	public int port() {
		return this.port;
	}

	public JavaProcess process() {
		return this.process;
	}

	@Override
	public void close() {
		this.process.close();
	}

}
