package id.mppdigital.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Who may do what on the platform's Kafka, read from the published contract
 * ({@code contracts/asyncapi.yaml}): each operation names its principal ({@code x-mpp-principal});
 * a {@code send} may write (and declare) its channel's topic, a {@code receive} may read it in the
 * operation's consumer group ({@code bindings.kafka.groupId}: {@code const} for one group,
 * {@code pattern: '^prefix'} for groups by prefix). Nothing else is granted, so a principal can
 * write only what it produces and read only what it consumes; the broker refuses the rest. The
 * same table is in {@code docs/security.md} (a test keeps it equal).
 */
public final class KafkaAccess {

	/** The platform's own principal: the brokers themselves and the set-up that creates users and ACLs. */
	public static final String ADMIN = "admin";

	static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;

	static final int ITERATIONS = 8192;

	static final String PASSWORD_VARIABLE = "MPP_KAFKA_PASSWORD_";

	/** One permission: {@code principal} may {@code operation} on {@code resource}. */
	record Grant(String principal, ResourceType resource, String name, PatternType pattern, AclOperation operation) {

		AclBinding binding() {
			return new AclBinding(new ResourcePattern(this.resource, this.name, this.pattern), new AccessControlEntry(
					"User:" + this.principal, "*", this.operation, AclPermissionType.ALLOW));
		}

		static Grant of(AclBinding binding) {
			return new Grant(binding.entry().principal().substring("User:".length()), binding.pattern().resourceType(),
					binding.pattern().name(), binding.pattern().patternType(), binding.entry().operation());
		}

	}

	/** A channel or principal name that stands for one per agency: {@code mpp.agency.{agencyId}.reports.v1}. */
	static final String AGENCY = "{agencyId}";

	/** The contract's grants, those per agency still with {@link #AGENCY} in them. */
	private final List<Grant> grants;

	/** The agencies the per-agency grants and topics are made for (none: only the services'). */
	private final List<String> agencies;

	/** The addresses of the per-agency channels, with {@link #AGENCY} in them. */
	private final List<String> agencyChannels;

	private KafkaAccess(List<Grant> grants, List<String> agencyChannels, List<String> agencies) {
		this.grants = List.copyOf(grants);
		this.agencyChannels = List.copyOf(agencyChannels);
		this.agencies = List.copyOf(agencies);
	}

	/**
	 * The same contract for these agencies (the catalog's): every per-agency grant once for each —
	 * {@code agency-pln} may read {@code mpp.agency.pln.applications.v1} and nothing of another agency
	 * — and their topics created. Adding an agency to the catalog is data: the next apply makes its
	 * topics and grants.
	 */
	public KafkaAccess forAgencies(Collection<String> agencyIds) {
		for (String agencyId : agencyIds) {
			if (!agencyId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalArgumentException("not an agency id: " + agencyId);
			}
		}
		return new KafkaAccess(this.grants, this.agencyChannels, agencyIds.stream().distinct().sorted().toList());
	}

	/** The per-agency topics of these agencies, which the platform creates (not the agencies, not by hand). */
	public List<String> agencyTopics() {
		return this.agencies.stream()
			.flatMap(agency -> this.agencyChannels.stream().map(address -> address.replace(AGENCY, agency)))
			.toList();
	}

	/**
	 * The set-up step of a deployment (compose's {@code kafka-access}): connects as the admin
	 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code MPP_KAFKA_ADMIN_PASSWORD}), sets each principal's
	 * password from {@code MPP_KAFKA_PASSWORD_<PRINCIPAL>} ({@code application-service} →
	 * {@code MPP_KAFKA_PASSWORD_APPLICATION_SERVICE}) and makes the ACLs the contract's. Every principal
	 * the contract names needs its password; exits non-zero when one is missing or the broker refuses.
	 * With {@code MPP_CATALOG_URL} it then keeps running: every minute it reads the catalog's agencies
	 * and gives each its topics and grants ({@link #forAgencies}); an agency's principal gets its
	 * password from {@code MPP_KAFKA_PASSWORD_AGENCY_<ID>} where one is set.
	 */
	public static void main(String[] args) throws Exception {
		KafkaAccess access = fromContracts();
		String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
		String adminPassword = System.getenv("MPP_KAFKA_ADMIN_PASSWORD");
		Map<String, String> passwords = new LinkedHashMap<>();
		System.getenv().forEach((name, value) -> {
			if (name.startsWith(PASSWORD_VARIABLE)) {
				passwords.put(name.substring(PASSWORD_VARIABLE.length()).toLowerCase(Locale.ROOT).replace('_', '-'), value);
			}
		});
		List<String> missing = access.principals().stream().filter(principal -> !passwords.containsKey(principal)).toList();
		if (adminPassword == null || !missing.isEmpty()) {
			System.err.println("Missing credentials: " + (adminPassword == null ? "MPP_KAFKA_ADMIN_PASSWORD " : "")
					+ missing.stream().map(principal -> PASSWORD_VARIABLE + principal.toUpperCase(Locale.ROOT).replace('-', '_'))
						.collect(Collectors.joining(" ")));
			System.exit(2);
		}
		access.applyWhenUp(adminClientConfig(bootstrap, adminPassword), passwords, Duration.ofMinutes(3)).get();
		System.out.println("Kafka users " + passwords.keySet() + " and " + access.grants().size() + " ACLs set");
		String catalog = System.getenv("MPP_CATALOG_URL");
		if (catalog == null || catalog.isBlank()) {
			return;
		}
		// from now on: every agency in the catalog gets its topics and grants, within a minute of being added
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		List<String> granted = List.of();
		while (true) {
			try {
				HttpResponse<String> agencies = http.send(HttpRequest.newBuilder(URI.create(catalog + "/agencies"))
					.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
				List<String> ids = agencies.statusCode() == 200 ? agencyIds(agencies.body()) : granted;
				if (!ids.equals(granted)) {
					try (Admin admin = Admin.create(adminClientConfig(bootstrap, adminPassword))) {
						access.forAgencies(ids).apply(admin, passwords);
					}
					granted = ids;
					System.out.println("Kafka topics and ACLs of agencies " + ids + " set");
				}
			}
			catch (IOException | RuntimeException | ExecutionException | TimeoutException ex) {
				System.err.println("agencies' Kafka access not set (trying again in a minute): " + ex);
			}
			Thread.sleep(Duration.ofMinutes(1).toMillis());
		}
	}

	/** The agency ids of the catalog's {@code GET /agencies} answer (a JSON array of agencies). */
	@SuppressWarnings("unchecked")
	public static List<String> agencyIds(String json) {
		// JSON is YAML: read with the YAML parser this has
		List<Map<String, Object>> agencies = (List<Map<String, Object>>) new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(json);
		return agencies.stream().map(agency -> (String) agency.get("id")).sorted().toList();
	}

	/** The grants of the contract packaged in the {@code contracts} jar. */
	public static KafkaAccess fromContracts() {
		try (InputStream in = KafkaAccess.class.getClassLoader().getResourceAsStream("contracts/asyncapi.yaml")) {
			if (in == null) {
				throw new IllegalStateException("contracts/asyncapi.yaml is not on the class path (the contracts jar)");
			}
			Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			return new KafkaAccess(grants(document), agencyChannels(document), List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static List<Grant> grants(Map<String, Object> document) {
		Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) document.get("channels");
		Map<String, Map<String, Object>> operations = (Map<String, Map<String, Object>>) document.get("operations");
		List<Grant> grants = new ArrayList<>();
		operations.forEach((id, operation) -> {
			String principal = (String) operation.get("x-mpp-principal");
			if (principal == null) {
				throw new IllegalStateException("operation " + id + " names no x-mpp-principal");
			}
			String ref = (String) ((Map<String, Object>) operation.get("channel")).get("$ref");
			String topic = (String) channels.get(ref.substring(ref.lastIndexOf('/') + 1)).get("address");
			switch ((String) operation.get("action")) {
				case "send" -> {
					for (AclOperation each : List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)) {
						grants.add(new Grant(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, each));
					}
				}
				case "receive" -> {
					grants.add(new Grant(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
					grants.add(new Grant(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
					grants.add(group(id, principal, operation));
				}
				default -> throw new IllegalStateException("operation " + id + ": unknown action " + operation.get("action"));
			}
		});
		return grants.stream().distinct().toList();
	}

	@SuppressWarnings("unchecked")
	static List<String> agencyChannels(Map<String, Object> document) {
		Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) document.get("channels");
		return channels.values().stream().map(channel -> (String) channel.get("address"))
			.filter(address -> address.contains(AGENCY)).sorted().toList();
	}

	@SuppressWarnings("unchecked")
	private static Grant group(String id, String principal, Map<String, Object> operation) {
		Map<String, Object> bindings = (Map<String, Object>) operation.getOrDefault("bindings", Map.of());
		Map<String, Object> kafka = (Map<String, Object>) bindings.getOrDefault("kafka", Map.of());
		Map<String, Object> groupId = (Map<String, Object>) kafka.get("groupId");
		if (groupId != null && groupId.get("const") instanceof String name) {
			return new Grant(principal, ResourceType.GROUP, name, PatternType.LITERAL, AclOperation.READ);
		}
		if (groupId != null && groupId.get("pattern") instanceof String pattern
				&& pattern.replace(AGENCY, "agency").matches("\\^[A-Za-z0-9._-]+")) {
			return new Grant(principal, ResourceType.GROUP, pattern.substring(1), PatternType.PREFIXED, AclOperation.READ);
		}
		throw new IllegalStateException("receive operation " + id
				+ " needs bindings.kafka.groupId with a const or a '^prefix' pattern");
	}

	/** What the broker must grant: the services', and the per-agency ones once for each agency. */
	List<Grant> grants() {
		List<Grant> applicable = new ArrayList<>();
		for (Grant grant : this.grants) {
			if (!perAgency(grant)) {
				applicable.add(grant);
				continue;
			}
			for (String agency : this.agencies) {
				applicable.add(new Grant(grant.principal().replace(AGENCY, agency), grant.resource(),
						grant.name().replace(AGENCY, agency), grant.pattern(), grant.operation()));
			}
		}
		return applicable.stream().distinct().toList();
	}

	private static boolean perAgency(Grant grant) {
		return grant.principal().contains(AGENCY) || grant.name().contains(AGENCY);
	}

	/**
	 * Every service principal the contract names: each needs its password. An agency's principal
	 * ({@code agency-<id>}) is granted its own topics whether or not it has credentials yet; it can
	 * connect once it was given a password (onboarding).
	 */
	public Set<String> principals() {
		return this.grants.stream()
			.map(Grant::principal)
			.filter(principal -> !principal.contains(AGENCY))
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/**
	 * Makes the broker's users and ACLs exactly these: each principal's SCRAM credentials set (again)
	 * from {@code passwords}, the agencies' topics created, missing grants added, grants the contract
	 * no longer names removed.
	 * Idempotent; {@link #ADMIN} stays a super user of the broker and needs no grant.
	 */
	public void apply(Admin admin, Map<String, String> passwords) throws InterruptedException, ExecutionException,
			TimeoutException {
		List<UserScramCredentialAlteration> users = passwords.entrySet()
			.stream()
			.filter(user -> !user.getKey().equals(ADMIN))
			.<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user.getKey(),
					new ScramCredentialInfo(MECHANISM, ITERATIONS), user.getValue()))
			.toList();
		if (!users.isEmpty()) {
			admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
		}
		List<NewTopic> topics = agencyTopics().stream().map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty()))
			.toList();
		if (!topics.isEmpty()) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<NewTopic> missingTopics = topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
			if (!missingTopics.isEmpty()) {
				admin.createTopics(missingTopics).all().get(30, TimeUnit.SECONDS);
			}
		}
		Set<AclBinding> wanted = grants().stream().map(Grant::binding).collect(Collectors.toSet());
		Collection<AclBinding> present = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
		List<AclBinding> missing = wanted.stream().filter(binding -> !present.contains(binding)).toList();
		List<AclBindingFilter> stale = present.stream()
			.filter(binding -> !wanted.contains(binding))
			.map(AclBinding::toFilter)
			.toList();
		if (!missing.isEmpty()) {
			admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
		}
		if (!stale.isEmpty()) {
			admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * {@link #apply} as soon as the broker answers (it starts beside the services), trying again every
	 * second for at most {@code patience}. Services whose user is not there yet fail to authenticate
	 * and retry on their own.
	 */
	public CompletableFuture<Void> applyWhenUp(Map<String, Object> adminConfig, Map<String, String> passwords,
			Duration patience) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread setup = new Thread(() -> {
			long deadline = System.nanoTime() + patience.toNanos();
			Map<String, Object> config = new HashMap<>(adminConfig);
			config.put("request.timeout.ms", 5000);
			config.put("default.api.timeout.ms", 10000);
			while (true) {
				try (Admin admin = Admin.create(config)) {
					apply(admin, passwords);
					done.complete(null);
					return;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					done.completeExceptionally(ex);
					return;
				}
				catch (Exception ex) {
					if (System.nanoTime() > deadline) {
						done.completeExceptionally(new IllegalStateException("Kafka users and ACLs could not be set: " + ex, ex));
						return;
					}
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						done.completeExceptionally(interrupted);
						return;
					}
				}
			}
		}, "kafka-access");
		setup.setDaemon(true);
		setup.start();
		return done;
	}

	/** Client settings of the platform's admin: SASL PLAIN, the credential in the broker's own configuration. */
	static Map<String, Object> adminClientConfig(String bootstrap, String adminPassword) {
		return Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
				"sasl.jaas.config", plainLogin(adminPassword) + ";");
	}

	/** The admin's PLAIN login module line (without the closing semicolon). */
	static String plainLogin(String adminPassword) {
		return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
				+ adminPassword + "\"";
	}

	/** The grants as the Markdown table of {@code docs/security.md}: one row per principal and resource. */
	public String table() {
		StringBuilder table = new StringBuilder("| principal | resource | may |\n|---|---|---|\n");
		this.grants.stream()
			.sorted(Comparator.comparing(Grant::principal))
			.collect(Collectors.groupingBy(grant -> List.of(grant.principal(), describe(grant)),
					LinkedHashMap::new, Collectors.mapping(grant -> grant.operation().name().toLowerCase(),
							Collectors.joining(", "))))
			.forEach((key, operations) -> table.append("| ").append(key.get(0)).append(" | ").append(key.get(1))
				.append(" | ").append(operations).append(" |\n"));
		return table.toString();
	}

	private static String describe(Grant grant) {
		String kind = grant.resource() == ResourceType.TOPIC ? "topic" : "consumer group";
		return grant.pattern() == PatternType.PREFIXED ? kind + "s `" + grant.name() + "*`"
				: kind + " `" + grant.name() + "`";
	}

}
