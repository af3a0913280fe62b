package id.mppdigital.adapter.agency;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The agencies' configuration, and the topic this adapter produces. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgencyProperties.class)
class AgencyConfiguration {

	@Bean
	NewTopic reportAcceptedTopic(@Value("${mpp.kafka.partitions:3}") int partitions,
			@Value("${mpp.kafka.replication-factor:1}") short replicas) {
		return new NewTopic("mpp.agency.report-accepted.v1", partitions, replicas);
	}

}
