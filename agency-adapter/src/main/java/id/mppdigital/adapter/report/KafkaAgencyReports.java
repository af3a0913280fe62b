package id.mppdigital.adapter.report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Reads the reports of the agencies this instance serves that speak Kafka, each on the agency's own
 * topic {@code mpp.agency.<agencyId>.reports.v1}, which only that agency's principal may write: the
 * topic is the agency. A report is believed once its headers fit the channel and name that agency
 * ({@code ce_source: /agencies/<agencyId>}), its value fits {@code mpp.agency.reports.v1}, and its
 * application was delivered to that agency; then it goes through the same door as a webhook's
 * ({@link AgencyReports#accept}). Anything else goes to {@code <topic>.DLT} with the reason; while
 * Kafka cannot take the accepted report, the record is tried again (the offset does not move).
 */
@Component
class KafkaAgencyReports implements SmartLifecycle {

	private final ConcurrentMessageListenerContainer<String, String> container;

	private final AgencyReports reports;

	private final Contracts contracts;

	KafkaAgencyReports(AgencyProperties properties, AgencyReports reports, Contracts contracts,
			ConcurrentKafkaListenerContainerFactory<String, String> factory,
			@Value("${mpp.adapter.instance:all}") String instance) {
		this.reports = reports;
		this.contracts = contracts;
		List<String> topics = properties.agencies()
			.entrySet()
			.stream()
			.filter(agency -> agency.getValue().kind() == AgencyProperties.Kind.KAFKA)
			.map(agency -> topic(agency.getKey()))
			.sorted()
			.toList();
		if (topics.isEmpty()) {
			this.container = null;
			return;
		}
		this.container = factory.createContainer(topics.toArray(String[]::new));
		this.container.getContainerProperties().setGroupId("agency-adapter-" + instance);
		// the platform grants the agency's topics once the catalog lists it: until then, keep asking
		this.container.getContainerProperties().setAuthExceptionRetryInterval(Duration.ofSeconds(5));
		Properties quickToNotice = new Properties();
		quickToNotice.setProperty(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
		this.container.getContainerProperties().setKafkaConsumerProperties(quickToNotice);
		this.container.setBeanName("kafka-agency-reports");
		this.container.setupMessageListener((MessageListener<String, String>) this::report);
	}

	static String topic(String agencyId) {
		return "mpp.agency." + agencyId + ".reports.v1";
	}

	private void report(ConsumerRecord<String, String> record) {
		String agencyId = record.topic().substring("mpp.agency.".length(), record.topic().length() - ".reports.v1".length());
		AgencyReports.Report report = this.contracts.read(record, AgencyReports.Report.class);
		Header source = record.headers().lastHeader("ce_source");
		String claimed = source == null ? "" : new String(source.value(), StandardCharsets.UTF_8);
		if (!claimed.equals("/agencies/" + agencyId)) {
			throw new ContractViolation("ce_source " + claimed + " is not the agency of " + record.topic());
		}
		try {
			this.reports.accept(agencyId, report, "kafka").block(Duration.ofSeconds(30));
		}
		catch (ErrorResponseException refused) {
			if (refused.getStatusCode().is4xxClientError()) {
				// another agency's or an unknown application: no retry makes it this agency's
				throw new ContractViolation(refused.getBody().getDetail());
			}
			throw refused; // Kafka did not take the accepted report: the record is tried again
		}
	}

	@Override
	public void start() {
		if (this.container != null) {
			this.container.start();
		}
	}

	@Override
	public void stop() {
		if (this.container != null) {
			this.container.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.container != null && this.container.isRunning();
	}

}
