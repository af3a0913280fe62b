package id.mppdigital.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry as someone on the network meets it: without credentials nothing but health, info and
 * metrics; with a module's credentials only that module's own entries; the dashboard for operators.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "mpp.registry.users=admin:op-secret,service-catalog:catalog-secret,gateway:gateway-secret")
@ActiveProfiles("local")
class RegistryAccessTests {

	static String instance(String app, int port) {
		return """
				{"instance": {"instanceId": "127.0.0.1:%s:%d", "app": "%s",
				  "hostName": "127.0.0.1", "ipAddr": "127.0.0.1", "status": "UP",
				  "port": {"$": %d, "@enabled": "true"},
				  "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"},
				  "leaseInfo": {"renewalIntervalInSecs": 1, "durationInSecs": 3}}}
				""".formatted(app.toLowerCase(), port, app, port);
	}

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Value("${server.address:}")
	String address;

	private int send(String method, String path, String user, String password, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (user != null) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@Test
	void nobodyRegistersReadsOrRemovesWithoutCredentials() throws Exception {
		// the review's request: a fake APPLICATION-SERVICE registered by anyone on the network
		assertThat(send("POST", "/eureka/apps/APPLICATION-SERVICE", null, null, instance("APPLICATION-SERVICE", 9999)))
			.isEqualTo(401);
		assertThat(send("POST", "/eureka/apps/APPLICATION-SERVICE", "service-catalog", "guessed",
				instance("APPLICATION-SERVICE", 9999))).isEqualTo(401);
		assertThat(send("GET", "/eureka/apps", null, null, null)).isEqualTo(401);
		assertThat(send("DELETE", "/eureka/apps/SERVICE-CATALOG/127.0.0.1:service-catalog:18081", null, null, null))
			.isEqualTo(401);
		assertThat(send("GET", "/", null, null, null)).as("the dashboard").isEqualTo(401);
		assertThat(send("GET", "/actuator/health", null, null, null)).isEqualTo(200);
	}

	@Test
	void aModuleRegistersOnlyItselfAndOperatorsSeeEverything() throws Exception {
		assertThat(send("POST", "/eureka/apps/SERVICE-CATALOG", "service-catalog", "catalog-secret",
				instance("SERVICE-CATALOG", 18081))).isEqualTo(204);
		// the catalog's credentials cannot register (or remove) another module
		assertThat(send("POST", "/eureka/apps/APPLICATION-SERVICE", "service-catalog", "catalog-secret",
				instance("APPLICATION-SERVICE", 9999))).isEqualTo(403);
		assertThat(send("DELETE", "/eureka/apps/GATEWAY/127.0.0.1:gateway:8080", "service-catalog", "catalog-secret", null))
			.isEqualTo(403);
		assertThat(send("PUT", "/eureka/apps/SERVICE-CATALOG/127.0.0.1:service-catalog:18081?status=UP&lastDirtyTimestamp=1",
				"service-catalog", "catalog-secret", null)).isEqualTo(200);
		// any module reads the registry (the gateway routes by it); the dashboard is the operators'
		assertThat(send("GET", "/eureka/apps/SERVICE-CATALOG", "gateway", "gateway-secret", null)).isEqualTo(200);
		assertThat(send("GET", "/", "gateway", "gateway-secret", null)).isEqualTo(403);
		assertThat(send("GET", "/", "admin", "op-secret", null)).isEqualTo(200);
		assertThat(send("DELETE", "/eureka/apps/SERVICE-CATALOG/127.0.0.1:service-catalog:18081", "service-catalog",
				"catalog-secret", null)).isEqualTo(200);
	}

	@Test
	void theLocalProfileListensOnLoopbackOnly() {
		assertThat(this.address).isEqualTo("127.0.0.1");
	}

}
