package id.mppdigital.catalog.mpp;

import id.mppdigital.localstack.MongoWireStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog as citizens' apps see it, on the embedded MongoDB-wire store with the demo data. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "eureka.client.enabled=false")
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class MppControllerTests {

	static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	@DynamicPropertySource
	static void mongo(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-catalog"));
	}

	@AfterAll
	static void stop() {
		mongo.close();
	}

	@Autowired
	WebTestClient client;

	@Autowired
	DemoMpps demo;

	@Autowired
	MppRepository mpps;

	@Test
	void listsEveryMppByName() {
		this.client.get().uri("/mpps").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(5)
			.jsonPath("$[0].name").isEqualTo("MPP Kabupaten Badung")
			.jsonPath("$[4].name").isEqualTo("MPP Kota Surabaya");
	}

	@Test
	void filtersByProvince() {
		this.client.get().uri("/mpps?province=Jawa Timur").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$[*].id").isEqualTo(java.util.List.of("kota-probolinggo", "kota-surabaya"));
	}

	@Test
	void showsOneMppWithItsTimeZone() {
		this.client.get().uri("/mpps/kota-jayapura").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.regionCode").isEqualTo("94.71")
			.jsonPath("$.timeZone").isEqualTo("Asia/Jayapura");
	}

	@Test
	void anUnknownMppIsA404Problem() {
		this.client.get().uri("/mpps/kota-atlantis").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.detail").isEqualTo("No MPP with id kota-atlantis");
	}

	@Test
	void demoDataIsLoadedOnceHoweverOftenTheServiceRestarts() throws Exception {
		this.demo.run(new DefaultApplicationArguments());
		this.demo.run(new DefaultApplicationArguments());
		assertThat(this.mpps.count().block()).isEqualTo(5);
	}

	@Test
	void reportsHealthWithItsDatabaseAndExposesNoOtherActuatorEndpoint() {
		this.client.get().uri("/actuator/health").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.status").isEqualTo("UP");
		this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value(body -> assertThat(body).contains("application=\"service-catalog\""));
		this.client.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/beans").exchange().expectStatus().isNotFound();
	}

}
