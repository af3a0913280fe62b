package id.mppdigital.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run on a machine without a Docker engine, so it is checked as the
 * document it is: every module runs in it, healthy before its dependants start, with memory limits
 * and the Kafka, MongoDB and Eureka settings it needs; Prometheus and Grafana are provisioned.
 */
class DeploymentDocumentsTests {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final List<String> MODULES = List.of("registry", "identity", "gateway", "service-catalog", "application-service",
			"queue-service", "notification-service", "agency-adapter");

	static final List<String> WITH_DATABASE = List.of("service-catalog", "application-service", "queue-service",
			"notification-service", "agency-adapter");

	static Map<String, Map<String, Object>> services;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void parse() throws IOException {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(100);
		Map<String, Object> compose = new Yaml(options)
			.load(Files.readString(ROOT.resolve("docker-compose.yml"), StandardCharsets.UTF_8));
		services = (Map<String, Map<String, Object>>) compose.get("services");
	}

	@Test
	void everyModuleIsAComposeServiceWithAHealthcheckAndAMemoryLimit() {
		for (String module : MODULES) {
			Map<String, Object> service = services.get(module);
			assertThat(service).as(module).isNotNull();
			assertThat(service.get("image")).as(module).isEqualTo("mpp-digital:latest");
			assertThat(service.get("command")).as(module).isEqualTo(List.of(module));
			assertThat(at(service, "healthcheck", "test").toString()).as(module).contains("/actuator/health");
			assertThat(at(service, "deploy", "resources", "limits", "memory")).as(module).isNotNull();
		}
		for (String infrastructure : List.of("kafka", "mongo", "mailpit", "prometheus", "grafana")) {
			assertThat(services.get(infrastructure)).as(infrastructure).containsKey("healthcheck");
			assertThat(at(services.get(infrastructure), "deploy", "resources", "limits", "memory")).as(infrastructure)
				.isNotNull();
		}
	}

	@Test
	void servicesGetKafkaMongoAndEurekaAndWaitForThemToBeHealthy() {
		for (String module : MODULES) {
			Map<String, Object> env = map(services.get(module).get("environment"));
			// each module its own registry user, its password from the environment
			String variable = "MPP_REGISTRY_PASSWORD_" + module.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
			assertThat(env.get("EUREKA_URL")).as(module)
				.isEqualTo("http://" + module + ":${" + variable + ":?set it (README, docker compose)}@registry:8761/eureka");
			assertThat(map(services.get("registry").get("environment")).get("MPP_REGISTRY_USERS").toString()).as(module)
				.contains(module + ":${" + variable + "}");
			assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(module).isEqualTo("kafka:9092");
			assertThat(env.get("PORT")).as(module).isNotNull();
			if (WITH_DATABASE.contains(module)) {
				assertThat(env.get("MONGODB_URI").toString()).as(module).contains("@mongo:27017/", "replicaSet=rs0");
				Map<String, Object> dependsOn = map(services.get(module).get("depends_on"));
				for (String dependency : List.of("registry", "mongo")) {
					assertThat(at(dependsOn, dependency, "condition")).as(module + " -> " + dependency)
						.isEqualTo("service_healthy");
				}
			}
		}
		assertThat(at(services.get("gateway"), "depends_on", "registry", "condition")).isEqualTo("service_healthy");
	}

	@Test
	void kafkaRunsInKraftModeWithSaslAndTheAuthorizerAndMongoAsAReplicaSet() {
		Map<String, Object> kafka = map(services.get("kafka").get("environment"));
		assertThat(kafka.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
		assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("SASL_PLAINTEXT://kafka:9092");
		assertThat(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").toString()).doesNotContain(":PLAINTEXT");
		assertThat(kafka.get("KAFKA_AUTHORIZER_CLASS_NAME"))
			.isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
		assertThat(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).isEqualTo("false");
		assertThat(kafka.get("KAFKA_SUPER_USERS")).isEqualTo("User:admin");
		// the platform sets users and ACLs before any service starts; every service is its own principal,
		// its password from the environment (compose refuses to start without one)
		Map<String, Object> access = services.get("kafka-access");
		assertThat(access.get("command")).isEqualTo(List.of("kafka-access"));
		assertThat(map(access.get("environment")).get("JAVA_OPTS").toString()).contains("KafkaAccess");
		for (String module : WITH_DATABASE) {
			Map<String, Object> env = map(services.get(module).get("environment"));
			String variable = "MPP_KAFKA_PASSWORD_" + module.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
			assertThat(env.get("MPP_KAFKA_USERNAME")).as(module).isEqualTo(module);
			assertThat(env.get("MPP_KAFKA_PASSWORD")).as(module).isEqualTo("${" + variable + "}");
			assertThat(map(access.get("environment")).get(variable).toString()).as(module).startsWith("${" + variable + ":?");
			assertThat(at(map(services.get(module).get("depends_on")), "kafka-access", "condition")).as(module)
				.isEqualTo("service_completed_successfully");
		}
		assertThat(services.get("mongo").get("command").toString()).contains("--replSet", "rs0");
		assertThat(services.get("mongo").get("healthcheck").toString()).contains("rs.initiate");
	}

	/**
	 * The store is a trust boundary too: MongoDB runs with authentication, and each service reaches
	 * it as its own user, which the init script allows to read and write only that service's database.
	 */
	@Test
	void everyServiceReachesOnlyItsOwnDatabaseAsItsOwnUser() throws IOException {
		Map<String, Object> mongo = services.get("mongo");
		Map<String, Object> env = map(mongo.get("environment"));
		assertThat(mongo.get("command").toString()).contains("--keyFile");
		assertThat(env.get("MONGO_INITDB_ROOT_PASSWORD").toString()).startsWith("${MPP_MONGO_ROOT_PASSWORD:?");
		assertThat(mongo.get("volumes").toString()).contains("./ops/mongo/users.js:/docker-entrypoint-initdb.d/users.js:ro");
		assertThat(mongo.get("healthcheck").toString()).contains("-u root", "MONGO_INITDB_ROOT_PASSWORD");
		java.util.Set<String> users = new java.util.HashSet<>();
		for (String module : WITH_DATABASE) {
			String variable = "MPP_MONGO_PASSWORD_" + module.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
			String uri = map(services.get(module).get("environment")).get("MONGODB_URI").toString();
			java.util.regex.Matcher parts = java.util.regex.Pattern
				.compile("mongodb://([^:]+):\\$\\{([A-Z_]+)\\}@mongo:27017/([a-z-]+)\\?replicaSet=rs0&authSource=([a-z-]+)")
				.matcher(uri);
			assertThat(parts.matches()).as(module + ": " + uri).isTrue();
			assertThat(parts.group(1)).as(module).isEqualTo(module);
			assertThat(parts.group(2)).as(module).isEqualTo(variable);
			assertThat(parts.group(4)).as(module).isEqualTo(parts.group(3));
			assertThat(env.get(variable).toString()).as(module).startsWith("${" + variable + ":?");
			users.add(module + "=" + parts.group(3));
		}
		// the init script creates exactly these users, each with readWrite on its own database only
		assertThat(java.util.Set.of(env.get("MPP_MONGO_DATABASES").toString().split(","))).isEqualTo(users);
		String script = Files.readString(ROOT.resolve("ops/mongo/users.js"));
		assertThat(script).contains("MPP_MONGO_DATABASES", "roles: [{ role: 'readWrite', db: database }]",
				"'MPP_MONGO_PASSWORD_' + service.toUpperCase().replace(/-/g, '_')");
	}

	@Test
	void onlyTheGatewaySignInRegistryAndDashboardsArePublished() {
		for (String name : services.keySet()) {
			boolean published = services.get(name).containsKey("ports");
			assertThat(published).as(name)
				.isEqualTo(List.of("gateway", "identity", "registry", "mailpit", "prometheus", "grafana").contains(name));
		}
	}

	@Test
	void everyModuleChecksTokensFromOneIssuerAndFetchesItsKeysInsideTheNetwork() {
		for (String module : MODULES) {
			Map<String, Object> env = map(services.get(module).get("environment"));
			assertThat(env.get("MPP_ISSUER_URI").toString()).as(module).contains("http://localhost:8086");
			assertThat(env.get("MPP_JWK_SET_URI").toString()).as(module).contains("http://identity:8086/oauth2/jwks");
		}
		assertThat(map(services.get("identity").get("environment"))).containsKey("MPP_IDENTITY_KEY_DIR");
		assertThat(services.get("identity").get("volumes").toString()).contains("/data/identity-keys");
	}

	@Test
	void grafanaIsProvisionedWithPrometheusAndTheDashboards() throws IOException {
		Path provisioning = ROOT.resolve("ops/grafana/provisioning");
		Map<String, Object> datasources = new Yaml().load(Files.readString(provisioning.resolve("datasources/prometheus.yml")));
		Map<String, Object> datasource = map(((List<?>) datasources.get("datasources")).get(0));
		assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
		JsonNode dashboard = JsonMapper.builder().build()
			.readTree(Files.readString(ROOT.resolve("ops/grafana/dashboards/platform.json")));
		assertThat(dashboard.path("panels").size()).isPositive();
		dashboard.path("panels").forEach(panel -> assertThat(panel.path("datasource").path("uid").asString())
			.isEqualTo(datasource.get("uid")));
	}

	@Test
	void prometheusFindsServicesThroughEurekaAndItsConfigIsValid() throws Exception {
		String config = Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml"));
		assertThat(config).contains("eureka_sd_configs", "http://registry:8761/eureka", "/actuator/prometheus",
				"password_file: /run/secrets/registry-prometheus-password", "rule_files:", "alerts.yml", "rules/*.yml");
		assertThat(services.get("prometheus").get("volumes").toString()).contains(
				"./ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro", "./ops/prometheus/rules:/etc/prometheus/rules:ro");
		Path promtool = Path.of("/usr/bin/promtool");
		Assumptions.assumeTrue(Files.isExecutable(promtool),
				"promtool is not installed here (.ci/run installs Debian's prometheus package)");
		Process check = new ProcessBuilder(promtool.toString(), "check", "config",
				ROOT.resolve("ops/prometheus/prometheus.yml").toString()).redirectErrorStream(true).start();
		String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(check.exitValue()).as(output).isZero();
		// the alerting rules load (check config above reads them) and fire when they should
		assertThat(output).contains("alerts.yml", "rules/agencies.yml", "rules/notifications.yml");
		for (String rules : List.of("alerts", "agencies", "notifications")) {
			Process test = new ProcessBuilder(promtool.toString(), "test", "rules", rules + ".test.yml")
				.directory(ROOT.resolve("ops/prometheus/tests").toFile()).redirectErrorStream(true).start();
			String tested = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(test.exitValue()).as(tested).isZero();
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	static Object at(Map<String, Object> map, String... keys) {
		Object current = map;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> m)) {
				return null;
			}
			current = m.get(key);
		}
		return current;
	}

}
