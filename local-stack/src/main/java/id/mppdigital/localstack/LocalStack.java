package id.mppdigital.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the whole platform on one machine: the MongoDB-wire store (in this JVM), a Kafka broker, the
 * registry, the gateway and every service (child JVMs, lean flags), then waits until every service
 * is healthy, registered, and reachable through the gateway. Ctrl-C stops everything it started.
 *
 * <pre>
 * java -jar local-stack/target/local-stack-exec.jar [--fresh] [--dir=.local] [--port-offset=0]
 *      [--services=registry,gateway,...] [--ready-timeout=180] [--exit-when-ready]
 * </pre>
 */
public final class LocalStack implements AutoCloseable {

	static final int MONGO_PORT = 27017;

	static final int KAFKA_PORT = 9092;

	static final int KAFKA_CONTROLLER_PORT = 9093;

	/**
	 * The demo agencies' back offices (agency-simulators): Dukcapil's REST API on this port, Polri's
	 * SOAP service on the next, BPN's SFTP server on the one after.
	 */
	static final int SIMULATORS_PORT = 8091;

	/**
	 * The demo agencies' secrets the launcher makes up and shares between their simulated systems and
	 * the adapter: Dukcapil's webhook secret, BPN's SFTP password — by agency, with the adapter's
	 * variable for it.
	 */
	static final Map<String, String> DEMO_AGENCY_SECRETS = Map.of("dukcapil", "MPP_AGENCY_DUKCAPIL_WEBHOOK_SECRET", "bpn",
			"MPP_AGENCY_BPN_PASSWORD");

	/**
	 * The SMS and WhatsApp provider's API key and receipt secret (one simulated provider for both
	 * channels, agency-simulators' MessageProvider on {@code SIMULATORS_PORT + 3}), made up by the
	 * launcher and kept with the agencies' secrets.
	 */
	static final String PROVIDER_KEY = "message-provider-api-key";

	static final String PROVIDER_SECRET = "message-provider-receipt-secret";

	/** The demo agencies whose systems speak Kafka (the simulators run their side as their principal). */
	static final List<String> DEMO_KAFKA_AGENCIES = List.of("pln");

	/** The registry's operator user (the launcher reads the registry as it). */
	static final String REGISTRY_ADMIN = "admin";

	/** Lean flags: on 2 cores a C1-only JIT and the serial collector halve startup and cut RSS. */
	public static final List<String> SERVICE_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-Xms64m", "-Xmx256m", "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=192m",
			"-Djava.awt.headless=true");

	/**
	 * The flags every service JVM gets: {@link #SERVICE_JVM_FLAGS}, or the space-separated
	 * {@code MPP_JVM_FLAGS} from the environment (benchmarks measure with the full JIT).
	 */
	static List<String> serviceJvmFlags() {
		String flags = System.getenv("MPP_JVM_FLAGS");
		return (flags == null || flags.isBlank()) ? SERVICE_JVM_FLAGS : List.of(flags.trim().split("\\s+"));
	}

	private final Options options;

	private final MongoWireStore mongo;

	private volatile KafkaBroker kafka;

	/** The running services; a restart after a crash replaces its entry. */
	private final List<Service> services;

	private final long startedAt;

	private volatile Supervisor supervisor;

	/** Kafka passwords by principal (the services' and the admin's). */
	private final Map<String, String> kafkaPasswords;

	/** Registry passwords by user (every module's and the operators' admin). */
	private final Map<String, String> registryPasswords;

	/** Done once the broker has the principals and ACLs. */
	private final CompletableFuture<Void> kafkaSecured;

	/** The demo agencies' webhook secrets, shared by the simulators and the adapter. */
	private final Map<String, String> agencySecrets;

	/** The agencies' simulated back offices, when the adapter runs. */
	private final JavaProcess simulators;

	/** The SMTP server notification-service sends to, when it runs. */
	private final Mailbox mailbox;

	/** Keeps each catalog agency's topics and ACLs in place (added agencies get theirs within a minute). */
	private final ScheduledExecutorService agencyAccess = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "kafka-agency-access");
		thread.setDaemon(true);
		return thread;
	});

	private volatile List<String> grantedAgencies = List.of();

	private LocalStack(Options options, MongoWireStore mongo, KafkaBroker kafka, List<Service> services,
			long startedAt, Map<String, String> kafkaPasswords, Map<String, String> registryPasswords,
			CompletableFuture<Void> kafkaSecured, Map<String, String> agencySecrets, JavaProcess simulators,
			Mailbox mailbox) {
		this.options = options;
		this.mailbox = mailbox;
		this.agencySecrets = agencySecrets;
		this.simulators = simulators;
		this.registryPasswords = registryPasswords;
		this.kafkaPasswords = kafkaPasswords;
		this.kafkaSecured = kafkaSecured;
		this.mongo = mongo;
		this.kafka = kafka;
		this.services = new CopyOnWriteArrayList<>(services);
		this.startedAt = startedAt;
	}

	public static void main(String[] args) throws Exception {
		Options options;
		LocalStack stack;
		try {
			options = Options.parse(args);
			stack = start(options);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// a plain sentence and a non-zero exit, not a stack trace and a hang
			System.err.println("\nThe local stack cannot start: " + ex.getMessage());
			System.exit(2);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("\nStopping the local stack...");
			stack.close();
			stopped.countDown();
		}, "local-stack-shutdown"));
		try {
			stack.awaitReady(Duration.ofSeconds(options.readyTimeoutSeconds()));
		}
		catch (IllegalStateException ex) {
			System.err.println("\nThe local stack did not become ready: " + ex.getMessage());
			System.err.println("Logs: " + options.logDir().toAbsolutePath());
			System.exit(1);
		}
		System.out.print(stack.describe());
		if (options.exitWhenReady()) {
			System.exit(0);
		}
		stack.supervise(Duration.ofSeconds(1), 3, Duration.ofMinutes(5), () -> {
			System.err.println("Logs: " + options.logDir().toAbsolutePath());
			System.exit(1);
		});
		stopped.await();
	}

	/** Starts the infrastructure and launches every service; does not wait for them. */
	public static LocalStack start(Options options) {
		long startedAt = System.nanoTime();
		checkOutsideEphemeralRange(options.portOffset());
		List<Service> all = Service.all(options.portOffset());
		List<String> known = all.stream().map(Service::name).toList();
		List<String> unknown = options.services().stream().filter(name -> !known.contains(name)).toList();
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("--services names modules that do not exist: " + unknown + "; known: "
					+ known);
		}
		List<Service> specs = all.stream().filter(service -> options.runs(service.name())).toList();
		checkPortsFree(options.portOffset(), specs);
		for (Service service : specs) {
			if (!Files.isRegularFile(service.jar(options.root()))) {
				throw new IllegalStateException(service.jar(options.root()) + " is missing: build first with "
						+ "./mvnw -DskipTests package (./run-local.sh does)");
			}
		}
		if ((options.runs("agency-adapter") || options.runs("notification-service"))
				&& !Files.isRegularFile(simulatorsJar(options))) {
			throw new IllegalStateException(simulatorsJar(options) + " is missing: build first with "
					+ "./mvnw -DskipTests package (./run-local.sh does)");
		}
		if (options.fresh()) {
			deleteRecursively(options.dataDir());
		}
		System.out.println("MPP Digital local stack: data in " + options.dataDir().toAbsolutePath() + ", logs in "
				+ options.logDir().toAbsolutePath());
		MongoWireStore mongo = MongoWireStore.start(options.dataDir().resolve("mongo").resolve("mpp.mv"), "127.0.0.1",
				MONGO_PORT + options.portOffset());
		// Kafka: SASL/SCRAM with one principal per service, ACLs from the contract (KafkaAccess)
		KafkaAccess access = KafkaAccess.fromContracts();
		Set<String> principals = new LinkedHashSet<>(List.of(KafkaAccess.ADMIN));
		principals.addAll(access.principals());
		// the demo agencies that speak Kafka themselves, each with its own principal
		DEMO_KAFKA_AGENCIES.forEach(agency -> principals.add("agency-" + agency));
		all.stream().filter(service -> service.database() != null).forEach(service -> principals.add(service.name()));
		Map<String, String> passwords = Secrets.load(options.dataDir().resolve("kafka-credentials.properties"),
				principals);
		// the registry: a user per module (it may register only itself) and the operators' admin
		List<String> registryUsers = new ArrayList<>(List.of(REGISTRY_ADMIN));
		all.forEach(service -> registryUsers.add(service.name()));
		Map<String, String> registryPasswords = Secrets.load(
				options.dataDir().resolve("registry-credentials.properties"), registryUsers);
		KafkaBroker kafka;
		try {
			Map<String, String> scramUsers = new LinkedHashMap<>(passwords);
			scramUsers.remove(KafkaAccess.ADMIN);
			kafka = KafkaBroker.start(options.dataDir().resolve("kafka"), KAFKA_PORT + options.portOffset(),
					KAFKA_CONTROLLER_PORT + options.portOffset(), options.logDir(), passwords.get(KafkaAccess.ADMIN),
					scramUsers);
		}
		catch (RuntimeException ex) {
			mongo.close();
			throw ex;
		}
		CompletableFuture<Void> secured = access.applyWhenUp(kafka.adminClientConfig(), passwords,
				Duration.ofSeconds(options.readyTimeoutSeconds()));
		// the demo agencies' own systems, which the adapter delivers to and which report back to it
		List<String> sharedSecrets = new ArrayList<>(DEMO_AGENCY_SECRETS.keySet().stream().sorted().toList());
		sharedSecrets.addAll(List.of(PROVIDER_KEY, PROVIDER_SECRET));
		Map<String, String> agencySecrets = Secrets.load(options.dataDir().resolve("agency-webhook-secrets.properties"),
				sharedSecrets);
		Mailbox mailbox = options.runs("notification-service")
				? Mailbox.start(options.dataDir().resolve("mail"), "127.0.0.1", Mailbox.SMTP_PORT + options.portOffset()) : null;
		JavaProcess simulators = options.runs("agency-adapter") || options.runs("notification-service")
				? startSimulators(options, agencySecrets, kafka.bootstrapServers(), passwords.get("agency-pln")) : null;
		List<Service> running = new ArrayList<>();
		for (Service service : specs) {
			running.add(service.launch(options, mongo, kafka.bootstrapServers(), 8761 + options.portOffset(), passwords,
					registryPasswords, agencySecrets));
		}
		return new LocalStack(options, mongo, kafka, running, startedAt, passwords, registryPasswords, secured,
				agencySecrets, simulators, mailbox);
	}

	/** BPN's SFTP server's files, host key and known_hosts line (the adapter checks the host key). */
	static Path bpnFolder(Options options) {
		return options.dataDir().resolve("agency-bpn");
	}

	private static Path simulatorsJar(Options options) {
		return options.root().resolve("agency-simulators").resolve("target").resolve("agency-simulators-exec.jar");
	}

	/**
	 * The agencies' back offices as one child JVM (agency-simulators): Dukcapil's REST API, reporting
	 * to the adapter's webhook with the secret they share; Polri's SOAP service; BPN's SFTP server;
	 * PLN's Kafka consumer and producer, as its own principal. Not a platform service: never registered,
	 * no actuator.
	 */
	private static JavaProcess startSimulators(Options options, Map<String, String> agencySecrets, String kafka,
			String plnKafkaPassword) {
		Path jar = simulatorsJar(options);
		int adapterPort = 8085 + options.portOffset();
		Map<String, String> env = new LinkedHashMap<>();
		if (options.runs("agency-adapter")) {
			env.put("MPP_SIM_DUKCAPIL_PORT", Integer.toString(SIMULATORS_PORT + options.portOffset()));
			env.put("MPP_SIM_DUKCAPIL_WEBHOOK", "http://127.0.0.1:" + adapterPort + "/agencies/dukcapil/reports");
			env.put("MPP_SIM_DUKCAPIL_SECRET", agencySecrets.get("dukcapil"));
			env.put("MPP_SIM_POLRI_PORT", Integer.toString(SIMULATORS_PORT + 1 + options.portOffset()));
			env.put("MPP_SIM_BPN_PORT", Integer.toString(SIMULATORS_PORT + 2 + options.portOffset()));
			env.put("MPP_SIM_BPN_PASSWORD", agencySecrets.get("bpn"));
			env.put("MPP_SIM_BPN_DIR", bpnFolder(options).toAbsolutePath().toString());
			env.put("MPP_SIM_PLN_KAFKA", kafka);
			env.put("MPP_SIM_PLN_PASSWORD", plnKafkaPassword);
			env.put("MPP_SIM_REPORT_DELAY", System.getenv().getOrDefault("MPP_SIM_REPORT_DELAY", "PT5S"));
		}
		if (options.runs("notification-service")) {
			env.put("MPP_SIM_PROVIDER_PORT", Integer.toString(SIMULATORS_PORT + 3 + options.portOffset()));
			env.put("MPP_SIM_PROVIDER_KEY", agencySecrets.get(PROVIDER_KEY));
			env.put("MPP_SIM_PROVIDER_SECRET", agencySecrets.get(PROVIDER_SECRET));
		}
		return JavaProcess.startJar("agency-simulators", jar,
				List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-Xss512k",
						"-Dlogback.configurationFile=simulators-logback.xml"), List.of(), env,
				options.logDir().resolve("agency-simulators.log"), JavaProcess.DEFAULT_GRACE);
	}

	/** Starts a service again with the settings it had (its data, ports and credentials). */
	private Service launchAgain(Service service) {
		return service.launch(this.options, this.mongo, this.kafka.bootstrapServers(), 8761 + this.options.portOffset(),
				this.kafkaPasswords, this.registryPasswords, this.agencySecrets);
	}

	private void replace(Service service, JavaProcess process) {
		this.services.replaceAll(running -> running.name().equals(service.name())
				? new Service(running.name(), running.port(), running.managementPort(), running.database(), process)
				: running);
	}

	private KafkaBroker startKafkaAgain() {
		KafkaBroker broker = this.kafka;
		this.kafka = KafkaBroker.start(this.options.dataDir().resolve("kafka"), broker.port(),
				KAFKA_CONTROLLER_PORT + this.options.portOffset(), this.options.logDir(),
				this.kafkaPasswords.get(KafkaAccess.ADMIN));
		return this.kafka;
	}

	/**
	 * Kills a service as {@code kill -9} does (SIGKILL: no shutdown hook, nothing flushed) and starts
	 * it again on its data; for fault tests. Returns once the new process is started (not yet healthy).
	 */
	public Service killAndRestart(String name) {
		Service service = this.services.stream().filter(each -> each.name().equals(name)).findFirst().orElseThrow();
		service.process().kill();
		service.process().waitFor(10);
		Service again = launchAgain(service);
		replace(service, again.process());
		return again;
	}

	/** Kills the Kafka broker (SIGKILL) and starts it again on its data, on the same port; for fault tests. */
	public void killAndRestartKafka() {
		this.kafka.process().kill();
		this.kafka.process().waitFor(10);
		startKafkaAgain();
	}

	/**
	 * From now on, a child that dies on its own is reported and restarted with a back-off; one that
	 * keeps dying ({@code maxDeaths} within {@code window}) makes {@code giveUp} run (main: stop all).
	 */
	void supervise(Duration firstBackOff, int maxDeaths, Duration window, Runnable giveUp) {
		Supervisor watching = new Supervisor(firstBackOff, maxDeaths, window, giveUp, System.out);
		for (Service service : this.services) {
			watching.watch(service.process(), () -> launchAgain(service).process(), process -> replace(service, process));
		}
		watching.watch(this.kafka.process(), () -> startKafkaAgain().process(), process -> {
		});
		this.supervisor = watching;
	}

	/**
	 * Every port the stack listens on must be free before anything starts: a second stack (or any
	 * other server) on one of them is named, with the way out, instead of a bind error half-way.
	 */
	static void checkPortsFree(int offset, List<Service> services) {
		Map<Integer, String> ports = new LinkedHashMap<>();
		ports.put(MONGO_PORT + offset, "MongoDB-wire store");
		ports.put(KAFKA_PORT + offset, "Kafka");
		ports.put(KAFKA_CONTROLLER_PORT + offset, "Kafka controller");
		ports.put(SIMULATORS_PORT + offset, "agency simulators (Dukcapil, REST)");
		ports.put(SIMULATORS_PORT + 1 + offset, "agency simulators (Polri, SOAP)");
		ports.put(SIMULATORS_PORT + 2 + offset, "agency simulators (BPN, SFTP)");
		ports.put(SIMULATORS_PORT + 3 + offset, "SMS/WhatsApp provider (simulated)");
		for (Service service : services) {
			ports.put(service.port(), service.name());
			ports.putIfAbsent(service.managementPort(), service.name() + " (management)");
		}
		List<String> busy = new ArrayList<>();
		ports.forEach((port, owner) -> {
			if (!free(port)) {
				busy.add(port + " (" + owner + ")");
			}
		});
		if (!busy.isEmpty()) {
			throw new IllegalStateException("ports already in use on 127.0.0.1: " + String.join(", ", busy)
					+ ". Another local stack may be running: stop it (Ctrl-C in its terminal), or start this one beside "
					+ "it with --port-offset=N (e.g. --port-offset=" + (offset + 100) + ").");
		}
	}

	private static boolean free(int port) {
		try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
			// as the servers themselves bind: connections of a stack that just stopped (TIME_WAIT) do
			// not count, only a listener does
			socket.setReuseAddress(true);
			socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Ready means: every service answers UP on its health endpoint, is registered in Eureka, and the
	 * gateway routes to the catalog. Fails fast when a child process dies.
	 */
	public void awaitReady(Duration timeout) {
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.kafkaSecured.isDone()) {
			checkAlive();
			pause(deadline, "Kafka users and ACLs are not set yet");
		}
		this.kafkaSecured.join();
		List<Service> pending = new ArrayList<>(this.services);
		while (!pending.isEmpty()) {
			checkAlive();
			pending.removeIf(service -> {
				boolean up = answers(http, service.healthUrl(), "\"UP\"");
				if (up) {
					System.out.printf("  %-22s healthy after %5.1f s%n", service.name(), secondsSinceStart());
				}
				return up;
			});
			pause(deadline, pending.isEmpty() ? "" : "not healthy: " + names(pending));
		}
		String apps = "http://127.0.0.1:" + (8761 + this.options.portOffset()) + "/eureka/apps";
		List<Service> unregistered = new ArrayList<>(this.services);
		unregistered.removeIf(service -> service.name().equals("registry"));
		while (!unregistered.isEmpty()) {
			checkAlive();
			String registered = body(http, apps, registryAuthorization());
			unregistered.removeIf(
					service -> registered.contains("<name>" + service.name().toUpperCase(Locale.ROOT) + "</name>"));
			pause(deadline, unregistered.isEmpty() ? "" : "not registered in Eureka: " + names(unregistered));
		}
		while (this.options.runs("gateway") && this.options.runs("service-catalog")
				&& !answers(http, gatewayUrl() + "/api/catalog/mpps", "[")) {
			checkAlive();
			pause(deadline, "the gateway does not route to service-catalog yet");
		}
		while (this.options.runs("service-catalog") && !grantCatalogAgencies(http)) {
			checkAlive();
			pause(deadline, "the catalog's agencies have no Kafka topics and ACLs yet");
		}
		if (this.options.runs("service-catalog")) {
			this.agencyAccess.scheduleWithFixedDelay(() -> grantCatalogAgencies(http), 30, 30, TimeUnit.SECONDS);
		}
	}

	/**
	 * Gives every agency in the catalog its topics and ACLs ({@link KafkaAccess#forAgencies}): adding an
	 * agency is data, the platform does the rest. True once the current agencies have them.
	 */
	private boolean grantCatalogAgencies(HttpClient http) {
		String url = "http://127.0.0.1:" + (8081 + this.options.portOffset()) + "/agencies";
		try {
			HttpResponse<String> response = get(http, url);
			if (response == null || response.statusCode() != 200) {
				return false;
			}
			List<String> agencies = KafkaAccess.agencyIds(response.body());
			if (agencies.equals(this.grantedAgencies)) {
				return true;
			}
			try (Admin admin = Admin.create(this.kafka.adminClientConfig())) {
				KafkaAccess.fromContracts().forAgencies(agencies).apply(admin, this.kafkaPasswords);
			}
			this.grantedAgencies = agencies;
			return true;
		}
		catch (Exception ex) {
			System.err.println("  agencies' Kafka access not set yet: " + ex);
			return false;
		}
	}


	private void checkAlive() {
		if (!this.kafka.process().isAlive()) {
			throw new IllegalStateException("the Kafka broker exited; see " + this.kafka.process().log());
		}
		for (Service service : this.services) {
			if (!service.process().isAlive()) {
				throw new IllegalStateException(service.name() + " exited; see " + service.process().log());
			}
		}
	}

	private static void pause(long deadline, String waitingFor) {
		if (waitingFor.isEmpty()) {
			return;
		}
		if (System.nanoTime() > deadline) {
			throw new IllegalStateException("timed out; " + waitingFor);
		}
		try {
			Thread.sleep(250);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted; " + waitingFor);
		}
	}

	private static boolean answers(HttpClient http, String url, String expected) {
		HttpResponse<String> response = get(http, url);
		return response != null && response.statusCode() == 200 && response.body().contains(expected);
	}

	private static String body(HttpClient http, String url, String authorization) {
		HttpResponse<String> response = get(http, url, authorization);
		return (response != null) ? response.body() : "";
	}

	/** The response, or null while the server is not there yet. */
	private static HttpResponse<String> get(HttpClient http, String url) {
		return get(http, url, null);
	}

	private static HttpResponse<String> get(HttpClient http, String url, String authorization) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3));
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static String names(List<Service> services) {
		return String.join(", ", services.stream().map(Service::name).toList());
	}

	private double secondsSinceStart() {
		return (System.nanoTime() - this.startedAt) / 1e9;
	}

	public String gatewayUrl() {
		return "http://127.0.0.1:" + (8080 + this.options.portOffset());
	}

	public String mongoConnectionString() {
		return this.mongo.connectionString("");
	}

	/** An {@code Authorization} header value for the registry as its operator (the launcher's own reads, tests). */
	public String registryAuthorization() {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString((REGISTRY_ADMIN + ":" + this.registryPasswords.get(REGISTRY_ADMIN))
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	public String kafkaBootstrapServers() {
		return this.kafka.bootstrapServers();
	}

	public List<Service> services() {
		return List.copyOf(this.services);
	}

	/** Resident memory of every process of the stack, this launcher (and its Mongo store) included. */
	public Map<String, Long> residentBytes() {
		Map<String, Long> rss = new LinkedHashMap<>();
		rss.put("local-stack (launcher + MongoDB-wire store)", JavaProcess.Resident.bytes(ProcessHandle.current().pid()));
		rss.put("kafka", this.kafka.process().residentBytes());
		for (Service service : this.services) {
			rss.put(service.name(), service.process().residentBytes());
		}
		return rss;
	}

	String describe() {
		StringBuilder out = new StringBuilder();
		int offset = this.options.portOffset();
		out.append(String.format("%nMPP Digital is up in %.1f s.%n%n", secondsSinceStart()));
		out.append(String.format("  %-22s %s%n", "gateway (public API)", gatewayUrl() + "/api/catalog/mpps"));
		out.append(String.format("  %-22s %s%n", "API docs (Swagger UI)", gatewayUrl() + "/swagger-ui.html"));
		out.append(String.format("  %-22s %s%n", "Eureka dashboard", "http://127.0.0.1:" + (8761 + offset) + "/"));
		if (this.options.runs("identity")) {
			out.append(String.format("  %-22s %s  (demo token: tools/token siti; see README)%n", "OIDC issuer",
					Service.issuer(offset)));
		}
		out.append(String.format("  %-22s %s  (SASL/SCRAM; passwords in %s)%n", "Kafka bootstrap", this.kafka.bootstrapServers(),
				this.options.dataDir().resolve("kafka-credentials.properties").toAbsolutePath()));
		out.append(String.format("  %-22s %s%n", "MongoDB (wire)", this.mongo.connectionString("")));
		if (this.mailbox != null) {
			out.append(String.format("  %-22s smtp://127.0.0.1:%d  (every email sent, as .eml files: %s)%n", "Mail (SMTP)",
					this.mailbox.port(), this.mailbox.folder().toAbsolutePath()));
			out.append(String.format("  %-22s http://127.0.0.1:%d/v1/messages  (every SMS and WhatsApp message posted: "
					+ "GET /__admin/requests)%n", "SMS/WhatsApp provider", SIMULATORS_PORT + 3 + offset));
		}
		for (Service service : this.services) {
			out.append(String.format("  %-22s %s  (pid %d)%n", service.name(), service.baseUrl(), service.process().pid()));
		}
		long total = this.residentBytes().values().stream().filter(bytes -> bytes > 0).mapToLong(Long::longValue).sum();
		out.append(String.format("%n  Resident memory of all processes: %d MiB%n", total / (1024 * 1024)));
		out.append(String.format("  Logs: %s%n  Press Ctrl-C to stop everything.%n", this.options.logDir().toAbsolutePath()));
		return out.toString();
	}

	@Override
	public void close() {
		this.agencyAccess.shutdownNow();
		if (this.supervisor != null) {
			// stopping on purpose: nothing is to be restarted now
			this.supervisor.close();
		}
		// Services first, all at once (they deregister from Eureka and flush to Kafka and Mongo on
		// the way down); then the registry they deregister from; then the infrastructure.
		List<JavaProcess> services = this.services.stream()
			.filter(service -> !service.name().equals("registry"))
			.map(Service::process)
			.toList();
		services.forEach(JavaProcess::requestStop);
		services.forEach(JavaProcess::close);
		this.services.stream().map(Service::process).forEach(JavaProcess::close);
		if (this.simulators != null) {
			this.simulators.close();
		}
		if (this.mailbox != null) {
			this.mailbox.close();
		}
		this.kafka.close();
		this.mongo.close();
	}

	/**
	 * A listening port inside the kernel's ephemeral range can already be taken by any outgoing
	 * connection (a Kafka or Mongo client), so a shifted stack would fail at random.
	 */
	static void checkOutsideEphemeralRange(int offset) {
		Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
		if (!Files.isReadable(range)) {
			return;
		}
		int low;
		int high;
		try {
			// readAllLines, not readString: procfs reports a size of 0 and readString trusts it
			String[] bounds = Files.readAllLines(range).get(0).trim().split("\\s+");
			low = Integer.parseInt(bounds[0]);
			high = Integer.parseInt(bounds[1]);
		}
		catch (IOException | RuntimeException ex) {
			return; // (procfs files report size 0, so readString would read almost nothing)
			// an unusual kernel: nothing to check against
		}
		List<Integer> ports = new ArrayList<>(List.of(MONGO_PORT + offset, KAFKA_PORT + offset, KAFKA_CONTROLLER_PORT + offset,
				Mailbox.SMTP_PORT + offset));
		Service.all(offset).forEach(service -> ports.addAll(List.of(service.port(), service.managementPort())));
		for (int shifted : ports) {
			if (shifted >= low && shifted <= high) {
				throw new IllegalArgumentException("--port-offset=" + offset + " puts port " + shifted
						+ " in the ephemeral range " + low + "-" + high + "; choose an offset that keeps 27017+offset below "
						+ low);
			}
		}
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.delete(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param root the repository, where {@code <module>/target/<module>.jar} are found
	 * @param dir where data ({@code data/}) and logs ({@code logs/}) live; git-ignored
	 * @param fresh delete the data first
	 * @param portOffset added to every port, to run a second stack beside the first (tests do)
	 * @param readyTimeoutSeconds how long to wait for everything to be ready
	 * @param exitWhenReady stop (and leave nothing running) once ready: for measuring start-up
	 */
	public record Options(Path root, Path dir, boolean fresh, int portOffset, int readyTimeoutSeconds,
			boolean exitWhenReady, Set<String> services) {

		public Options(Path root, Path dir, boolean fresh, int portOffset, int readyTimeoutSeconds,
				boolean exitWhenReady) {
			this(root, dir, fresh, portOffset, readyTimeoutSeconds, exitWhenReady, Set.of());
		}

		/** Whether to run this module: every one unless {@code --services} names some. */
		boolean runs(String service) {
			return this.services.isEmpty() || this.services.contains(service);
		}

		public Path dataDir() {
			return this.dir.resolve("data");
		}

		public Path logDir() {
			return this.dir.resolve("logs");
		}

		static Options parse(String[] args) {
			Path root = Path.of("").toAbsolutePath();
			Path dir = null;
			boolean fresh = false;
			int offset = 0;
			int timeout = 180;
			boolean exitWhenReady = false;
			Set<String> services = Set.of();
			for (String arg : args) {
				String[] kv = arg.split("=", 2);
				switch (kv[0]) {
					case "--fresh" -> fresh = true;
					case "--exit-when-ready" -> exitWhenReady = true;
					case "--root" -> root = Path.of(kv[1]).toAbsolutePath();
					case "--dir" -> dir = Path.of(kv[1]);
					case "--port-offset" -> offset = Integer.parseInt(kv[1]);
					case "--ready-timeout" -> timeout = Integer.parseInt(kv[1]);
					case "--services" -> services = Set.of(kv[1].split(","));
					default -> throw new IllegalArgumentException("Unknown option " + arg + "; known: "
							+ Arrays.asList("--fresh", "--dir=PATH", "--root=PATH", "--port-offset=N",
									"--ready-timeout=SECONDS", "--exit-when-ready", "--services=a,b,..."));
				}
			}
			return new Options(root, (dir != null) ? dir : root.resolve(".local"), fresh, offset, timeout,
					exitWhenReady, services);
		}

	}

}
