package id.mppdigital.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In local mode an instance that stops renewing (killed, not shut down) must leave the registry
 * within about 10 seconds; with Eureka's defaults it stays routable for minutes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "mpp.registry.users=admin:op-secret,service-catalog:catalog-secret")
@ActiveProfiles("local")
class RegistryEvictionTests {

	private static final String INSTANCE = """
			{"instance": {"instanceId": "127.0.0.1:service-catalog:18081", "app": "SERVICE-CATALOG",
			  "hostName": "127.0.0.1", "ipAddr": "127.0.0.1", "status": "UP",
			  "port": {"$": 18081, "@enabled": "true"},
			  "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"},
			  "leaseInfo": {"renewalIntervalInSecs": 1, "durationInSecs": 3}}}
			""";

	private static final String CATALOG = "Basic " + java.util.Base64.getEncoder()
		.encodeToString("service-catalog:catalog-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Test
	void aKilledInstanceIsEvictedWithinTenSeconds() throws Exception {
		HttpResponse<String> registered = this.http.send(HttpRequest.newBuilder(uri("/eureka/apps/SERVICE-CATALOG"))
			.header("Content-Type", "application/json")
			.header("Authorization", CATALOG)
			.POST(HttpRequest.BodyPublishers.ofString(INSTANCE))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(registered.statusCode()).isEqualTo(204);
		assertThat(status("/eureka/apps/SERVICE-CATALOG")).isEqualTo(200);

		// it never renews, as if killed with SIGKILL
		long registeredAt = System.nanoTime();
		while (status("/eureka/apps/SERVICE-CATALOG") == 200) {
			assertThat(Duration.ofNanos(System.nanoTime() - registeredAt)).isLessThan(Duration.ofSeconds(10));
			Thread.sleep(200);
		}
		assertThat(status("/eureka/apps/SERVICE-CATALOG")).isEqualTo(404);
	}

	@Test
	void exposesOnlyHealthInfoAndPrometheus() throws Exception {
		assertThat(status("/actuator/health")).isEqualTo(200);
		assertThat(status("/actuator/prometheus")).isEqualTo(200);
		assertThat(status("/actuator/env")).isEqualTo(404);
		assertThat(status("/actuator/beans")).isEqualTo(404);
	}

	private int status(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json, */*;q=0.5")
			.header("Authorization", CATALOG).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
