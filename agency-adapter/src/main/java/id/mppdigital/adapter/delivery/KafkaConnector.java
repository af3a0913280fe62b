package id.mppdigital.adapter.delivery;

import java.time.Clock;
import java.time.Duration;

import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.outbox.OutboxEvent;
import reactor.core.publisher.Mono;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * An agency whose system speaks Kafka: each application is written to the agency's own topic
 * {@code mpp.agency.<agencyId>.applications.v1} (key: applicationId; CloudEvents headers, {@code ce_id}
 * the event id), which only the agency's principal may read. Delivered once the broker acknowledged
 * it; a send that timed out may have been written, so it is written again under the same
 * {@code ce_id}, and the agency takes an application once by it. The agency's reports come back on its
 * own {@code .reports.v1} topic ({@code KafkaAgencyReports}).
 */
final class KafkaConnector implements Connector {

	static final String TYPE = "id.mppdigital.agency.application.v1";

	private final KafkaTemplate<String, String> kafka;

	private final String topic;

	private final Duration timeout;

	private final Clock clock;

	KafkaConnector(String agencyId, AgencyProperties.Agency agency, KafkaTemplate<String, String> kafka, Clock clock) {
		this.kafka = kafka;
		this.topic = applicationsTopic(agencyId);
		this.timeout = agency.timeout();
		this.clock = clock;
	}

	static String applicationsTopic(String agencyId) {
		return "mpp.agency." + agencyId + ".applications.v1";
	}

	@Override
	public Mono<Outcome> deliver(Delivery delivery) {
		OutboxEvent event = new OutboxEvent(this.topic, delivery.id(), delivery.eventId(), TYPE, "/agency-adapter",
				this.clock.instant(), delivery.payload());
		return Mono.fromFuture(() -> this.kafka.send(event.record()))
			.timeout(this.timeout)
			.map(sent -> (Outcome) new Outcome.Delivered(null))
			.onErrorResume(failure -> Mono.just(new Outcome.Failed("kafka: " + failure)));
	}

}
