package id.mppdigital.catalog.search;

import id.mppdigital.catalog.standard.ServiceStandardPublished;
import id.mppdigital.defaults.events.BroadcastListeners;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Every catalog instance reads the published-standard events — its own group per instance, from
 * the newest, so each instance sees every event — and rebuilds its in-memory index, so a version
 * published on another instance is searchable within a moment instead of at the next periodic
 * refresh.
 * <p>
 * Its listener never commits an offset (it has nothing to resume: a restarted instance rebuilds its
 * index from the database anyway), so its per-instance group leaves nothing on the broker when the
 * instance stops — committed offsets would keep a dead group around for the offsets retention.
 */
@Configuration(proxyBeanMethods = false)
class PublishedStandardListener {

	static final String BROADCAST = "broadcastListeners";

	private final CatalogSearch search;

	PublishedStandardListener(CatalogSearch search) {
		this.search = search;
	}

	/** Each instance in a group of its own, no offsets committed ({@link BroadcastListeners}). */
	@Bean(BROADCAST)
	static ConcurrentKafkaListenerContainerFactory<Object, Object> broadcastListeners(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
		return BroadcastListeners.factory(configurer, consumers);
	}

	@KafkaListener(topics = ServiceStandardPublished.TOPIC, containerFactory = BROADCAST,
			groupId = "service-catalog-index-#{T(java.util.UUID).randomUUID()}",
			properties = { "auto.offset.reset=latest", "enable.auto.commit=false" })
	void published(String event) {
		this.search.rebuildInBackground();
	}

}
