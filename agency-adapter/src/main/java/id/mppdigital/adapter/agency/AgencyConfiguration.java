package id.mppdigital.adapter.agency;

import id.mppdigital.defaults.events.DeadLetters;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The agencies' configuration, and the topic this adapter produces. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgencyProperties.class)
class AgencyConfiguration {

	/** Each served agency's dead-letter topic for refused applications (one partition, kept 30 days). */
	@Bean
	KafkaAdmin.NewTopics refusalTopics(AgencyProperties properties) {
		return new KafkaAdmin.NewTopics(properties.agencies()
			.keySet()
			.stream()
			.map(agencyId -> DeadLetters.declaration("mpp.agency." + agencyId + ".applications.v1"))
			.toArray(NewTopic[]::new));
	}

	@Bean
	NewTopic reportAcceptedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new NewTopic("mpp.agency.report-accepted.v1", partitions, replicas);
	}

}
