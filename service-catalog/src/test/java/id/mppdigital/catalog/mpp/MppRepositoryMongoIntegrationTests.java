package id.mppdigital.catalog.mpp;

import id.mppdigital.catalog.demo.DemoData;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.mongodb.test.autoconfigure.DataMongoTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.data.domain.Sort;

/**
 * The same queries against a real MongoDB 8, where Docker exists: the embedded wire store ignores
 * secondary indexes and lacks some operators, so what passes there is checked here too. Skipped
 * (not failed) on machines without a Docker engine.
 */
@DataMongoTest
@Testcontainers(disabledWithoutDocker = true)
class MppRepositoryMongoIntegrationTests {

	@Container
	@ServiceConnection
	static final MongoDBContainer mongo = new MongoDBContainer("mongo:8");

	@Autowired
	MppRepository mpps;

	@Test
	void findsMppsOfAProvinceSortedByName() {
		StepVerifier.create(this.mpps.saveAll(DemoData.MPPS).thenMany(this.mpps.findByProvince("Jawa Timur",
				Sort.by("name"))).map(Mpp::id))
			.expectNext("kabupaten-banyuwangi", "kota-malang", "kota-probolinggo", "kota-surabaya")
			.verifyComplete();
	}

}
