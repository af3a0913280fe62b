package id.mppdigital.catalog.search;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import id.mppdigital.catalog.CatalogWebTests;
import id.mppdigital.catalog.standard.LocalizedText;
import id.mppdigital.catalog.standard.ServiceStandardPublished;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.standard.StandardVersion;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version published by another catalog instance (stored in the shared database, announced on
 * Kafka) becomes searchable here on the event, without waiting for the periodic refresh (an hour in
 * these tests).
 */
class IndexSyncTests extends CatalogWebTests {

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	CatalogSearch search;

	@Autowired
	EmbeddedKafkaBroker broker;

	@Test
	void aVersionPublishedElsewhereIsSearchableOnItsEvent() throws Exception {
		StandardVersion template = this.mongo.findById(StandardVersion.id("skck", 1), StandardVersion.class).block();
		StandardContent content = template.content();
		StandardContent renamed = new StandardContent(content.agencyId(),
				new LocalizedText("Surat Keterangan Xylofonis", "Xylophonist certificate"),
				content.description(), content.requirements(), content.procedure(), content.processingDays(),
				content.fee(), content.product(), content.complaintChannel(), content.legalBasis(), content.channels(),
				content.applicationForm(), content.queuePrefix());
		StandardVersion elsewhere = new StandardVersion(StandardVersion.id("skck-xylofonis", 1), "skck-xylofonis", 1,
				StandardVersion.Status.PUBLISHED, LocalDate.of(2026, 1, 1), Instant.now(), "s-other-instance", true, renamed);
		this.mongo.insert(elsewhere).block();
		assertThat(this.search.search("xylofonis")).isEmpty();

		// the other instance's relay announces it
		this.kafka.send(ServiceStandardPublished.TOPIC, "skck-xylofonis", "{\"eventId\": \"skck-xylofonis@1\"}").get();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<ServiceSearchIndex.Hit> hits = List.of();
		while (hits.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(100);
			hits = this.search.search("xylofonis");
		}
		assertThat(hits).extracting(ServiceSearchIndex.Hit::standardId).containsExactly("skck-xylofonis");
		// the instance's own group commits nothing: it leaves no offsets behind on the broker
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			List<String> groups = admin.listConsumerGroups().all().get().stream()
				.map(ConsumerGroupListing::groupId)
				.filter(group -> group.startsWith("service-catalog-index-"))
				.toList();
			assertThat(groups).isNotEmpty();
			for (String group : groups) {
				assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()).as(group).isEmpty();
			}
		}
		this.mongo.remove(elsewhere).block();
		this.search.refresh().block();
	}

}
