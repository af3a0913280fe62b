package id.mppdigital.localstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one node), run as a child JVM so it
 * can be stopped by PID and its log kept apart. Its storage is formatted once; afterwards the same
 * directory is reused, so topics and offsets survive restarts of the local stack.
 */
public final class KafkaBroker implements AutoCloseable {

	static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1", "-Xss512k", "-Djava.awt.headless=true",
			"-Dlogback.configurationFile=local-stack-logback.xml");

	private final JavaProcess process;

	private final int port;

	private KafkaBroker(JavaProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logDir) {
		Path config = writeConfig(dataDir, port, controllerPort);
		if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
			int exit = JavaProcess
				.startMain("kafka-format", "kafka.tools.StorageTool", JVM_FLAGS,
						List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), Map.of(),
						logDir.resolve("kafka-format.log"))
				.waitFor(120);
			if (exit != 0) {
				throw new IllegalStateException("Formatting Kafka storage failed; see " + logDir.resolve("kafka-format.log"));
			}
		}
		JavaProcess process = JavaProcess.startMain("kafka", "kafka.Kafka", JVM_FLAGS, List.of(config.toString()),
				Map.of(), logDir.resolve("kafka.log"));
		return new KafkaBroker(process, port);
	}

	private static Path writeConfig(Path dataDir, int port, int controllerPort) {
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
		try {
			Files.createDirectories(dataDir);
			Path file = dataDir.resolve("server.properties");
			try (Writer writer = Files.newBufferedWriter(file)) {
				props.store(writer, "written by the MPP Digital local stack on every start");
			}
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write the Kafka configuration in " + dataDir, ex);
		}
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
