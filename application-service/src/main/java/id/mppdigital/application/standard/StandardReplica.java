package id.mppdigital.application.standard;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * This service's copy of the published service standards. It reads every published-standard event
 * from the start of the topic under its own consumer group, so a new deployment fills its copy and
 * a restarted one continues where it stopped; saving by the event's id makes a redelivery harmless.
 * Submitting an application then never waits on the catalog.
 */
@Component
public class StandardReplica {

	public static final String TOPIC = "mpp.catalog.service-standard-published.v1";

	/** The calendar {@code validFrom} is written in (contracts/events). */
	static final ZoneId WIB = ZoneId.of("Asia/Jakarta");

	private final KnownStandardRepository standards;

	private final JsonMapper json;

	private final Clock clock;

	StandardReplica(KnownStandardRepository standards, JsonMapper json, Clock clock) {
		this.standards = standards;
		this.json = json;
		this.clock = clock;
	}

	@KafkaListener(topics = TOPIC, groupId = "application-service-standards",
			properties = "auto.offset.reset=earliest")
	void published(String event) {
		JsonNode published = this.json.readTree(event);
		JsonNode standard = published.path("standard");
		KnownStandard known = new KnownStandard(published.path("eventId").asString(),
				published.path("standardId").asString(), published.path("version").asInt(),
				LocalDate.parse(published.path("validFrom").asString()), standard.path("agencyId").asString(),
				standard.path("processingDays").asInt(),
				standard.path("channels").asString(), this.json.writeValueAsString(standard.path("applicationForm")));
		// the listener thread may wait; a failure is retried by the container before the offset moves
		this.standards.save(known).block(Duration.ofSeconds(10));
	}

	/** The version of a standard that applies today, if any is published and already valid. */
	public Mono<KnownStandard> current(String standardId) {
		LocalDate today = LocalDate.now(this.clock.withZone(WIB));
		return this.standards.findByStandardId(standardId)
			.filter(standard -> !standard.validFrom().isAfter(today))
			.reduce((a, b) -> a.version() >= b.version() ? a : b);
	}

}
