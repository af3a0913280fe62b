package id.mppdigital.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One Spring Boot module of the platform as the local stack runs it: module name (= jar name =
 * {@code spring.application.name} = Eureka id), port, its own database, and where it reports health.
 */
public record Service(String name, int port, int managementPort, String database, JavaProcess process) {

	static final int IDENTITY_PORT = 8086;

	/** The issuer every token names and every module checks: the identity server's local address. */
	static String issuer(int offset) {
		return "http://127.0.0.1:" + (IDENTITY_PORT + offset);
	}

	/** Every service of the platform, in start order; ports as in each module's application.yml. */
	static List<Service> all(int offset) {
		List<Service> all = new ArrayList<>();
		all.add(spec("registry", 8761, 8761, null, offset));
		// the sign-in port is for browsers: operators and Prometheus use the management port
		all.add(spec("identity", IDENTITY_PORT, 9086, null, offset));
		all.add(spec("gateway", 8080, 9080, null, offset));
		all.add(spec("service-catalog", 8081, 8081, "mpp-catalog", offset));
		all.add(spec("application-service", 8082, 8082, "mpp-application", offset));
		all.add(spec("queue-service", 8083, 8083, "mpp-queue", offset));
		all.add(spec("notification-service", 8084, 8084, "mpp-notification", offset));
		all.add(spec("agency-adapter", 8085, 8085, "mpp-agency-adapter", offset));
		return all;
	}

	private static Service spec(String name, int port, int managementPort, String database, int offset) {
		return new Service(name, port + offset, managementPort + offset, database, null);
	}

	Path jar(Path root) {
		return root.resolve(this.name).resolve("target").resolve(this.name + ".jar");
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	String healthUrl() {
		return "http://127.0.0.1:" + this.managementPort + "/actuator/health";
	}

	/** Configuration reaches the services the same way compose and Kubernetes give it: environment. */
	Service launch(LocalStack.Options options, MongoWireStore mongo, String kafka, int registryPort,
			Map<String, String> kafkaPasswords, Map<String, String> registryPasswords,
			Map<String, String> agencySecrets) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SPRING_PROFILES_ACTIVE", "local");
		env.put("PORT", Integer.toString(this.port));
		env.put("MANAGEMENT_PORT", Integer.toString(this.managementPort));
		// its own registry user: it may register (and renew, and remove) only itself
		env.put("EUREKA_URL", "http://" + this.name + ":" + registryPasswords.get(this.name) + "@127.0.0.1:" + registryPort
				+ "/eureka");
		if (this.name.equals("registry")) {
			env.put("MPP_REGISTRY_USERS", registryPasswords.entrySet()
				.stream()
				.map(user -> user.getKey() + ":" + user.getValue())
				.collect(Collectors.joining(",")));
		}
		env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
		if (kafkaPasswords.containsKey(this.name)) {
			// its own principal (service-defaults turns these into SASL/SCRAM client settings)
			env.put("MPP_KAFKA_USERNAME", this.name);
			env.put("MPP_KAFKA_PASSWORD", kafkaPasswords.get(this.name));
		}
		env.put("MPP_ISSUER_URI", issuer(options.portOffset()));
		if (this.name.equals("identity")) {
			// signing keys with the data, so tokens stay valid across restarts (--fresh makes new ones)
			env.put("MPP_IDENTITY_KEY_DIR", options.dataDir().resolve("identity-keys").toAbsolutePath().toString());
		}
		if (this.database != null) {
			env.put("MONGODB_URI", mongo.connectionString(this.database));
		}
		if (this.name.equals("notification-service")) {
			// the launcher's own SMTP server (Mailbox)
			env.put("MPP_SMTP_HOST", "127.0.0.1");
			env.put("MPP_SMTP_PORT", Integer.toString(Mailbox.SMTP_PORT + options.portOffset()));
			// SMS and WhatsApp: the simulated provider (agency-simulators), receipts straight back to this service
			String provider = "http://127.0.0.1:" + (LocalStack.SIMULATORS_PORT + 3 + options.portOffset());
			for (String channel : List.of("SMS", "WHATSAPP")) {
				env.put("MPP_" + channel + "_URL", provider);
				env.put("MPP_" + channel + "_API_KEY", agencySecrets.get(LocalStack.PROVIDER_KEY));
				env.put("MPP_" + channel + "_CALLBACK_SECRET", agencySecrets.get(LocalStack.PROVIDER_SECRET));
			}
			env.put("MPP_PROVIDER_CALLBACK_URL", "http://127.0.0.1:" + this.port + "/providers");
		}
		if (this.name.equals("agency-adapter")) {
			// the demo agencies' systems (agency-simulators) and the secrets they share with the adapter
			env.put("MPP_AGENCY_DUKCAPIL_URL", "http://127.0.0.1:" + (LocalStack.SIMULATORS_PORT + options.portOffset()));
			env.put("MPP_AGENCY_POLRI_URL",
					"http://127.0.0.1:" + (LocalStack.SIMULATORS_PORT + 1 + options.portOffset()) + "/skck");
			env.put("MPP_AGENCY_BPN_URL", "sftp://mpp@127.0.0.1:" + (LocalStack.SIMULATORS_PORT + 2 + options.portOffset()));
			env.put("MPP_AGENCY_BPN_KNOWN_HOSTS",
					LocalStack.bpnFolder(options).resolve("known_hosts").toAbsolutePath().toString());
			LocalStack.DEMO_AGENCY_SECRETS.forEach((agency, variable) -> env.put(variable, agencySecrets.get(agency)));
			// the key the message log is sealed with, kept with the data (the same across restarts)
			env.put("MPP_ADAPTER_LOG_KEY_FILE",
					options.dataDir().resolve("agency-adapter-message-log.key").toAbsolutePath().toString());
		}
		ClassDataSharing.Launch launch = ClassDataSharing.prepare(this.name, jar(options.root()),
				options.root().resolve("target").resolve("cds"));
		List<String> flags = new ArrayList<>(LocalStack.serviceJvmFlags());
		flags.addAll(launch.flags());
		// recording a class-data archive on the way out takes a while with every JVM doing it at once
		JavaProcess process = JavaProcess.startJar(this.name, launch.jar(), flags, List.of(), env,
				options.logDir().resolve(this.name + ".log"),
				launch.records() ? Duration.ofSeconds(120) : JavaProcess.DEFAULT_GRACE);
		return new Service(this.name, this.port, this.managementPort, this.database, process);
	}

}
