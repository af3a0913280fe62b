package id.mppdigital.catalog.search;

import id.mppdigital.catalog.standard.ServiceStandardPublished;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every catalog instance reads the published-standard events — its own group per instance, from
 * the newest, so each instance sees every event — and rebuilds its in-memory index, so a version
 * published on another instance is searchable within a moment instead of at the next periodic
 * refresh.
 */
@Component
class PublishedStandardListener {

	private final CatalogSearch search;

	PublishedStandardListener(CatalogSearch search) {
		this.search = search;
	}

	@KafkaListener(topics = ServiceStandardPublished.TOPIC,
			groupId = "service-catalog-index-#{T(java.util.UUID).randomUUID()}",
			properties = { "auto.offset.reset=latest", "enable.auto.commit=false" })
	void published(String event) {
		this.search.rebuildInBackground();
	}

}
