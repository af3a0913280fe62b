package id.mppdigital.application.standard;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.mppdigital.defaults.MppTime;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * This service's copy of the published service standards. It reads every published-standard event
 * from the start of the topic under its own consumer group, so a new deployment fills its copy and
 * a restarted one continues where it stopped; keeping each version once, by the event's id, makes a
 * redelivery harmless and a changed copy of a published version impossible.
 * Each record is checked against the contract first; one that breaks it goes to {@code <topic>.DLT}.
 * Submitting an application then never waits on the catalog.
 */
@Component
public class StandardReplica {

	public static final String TOPIC = "mpp.catalog.service-standard-published.v1";

	private final KnownStandardRepository standards;

	private final Contracts contracts;

	private final JsonMapper json;

	private final Clock clock;

	/**
	 * The versions of each standard, read from the store at most every 30 s (each submission asks
	 * for its standard; a published version is kept in the store once and never changes). A version
	 * this instance stores is seen at once; one another instance stored, within 30 s.
	 */
	private final AsyncCache<String, List<KnownStandard>> versions = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofSeconds(30))
		.buildAsync();

	StandardReplica(KnownStandardRepository standards, Contracts contracts, JsonMapper json, Clock clock) {
		this.standards = standards;
		this.contracts = contracts;
		this.json = json;
		this.clock = clock;
	}

	/** What this service reads of the catalog's event: its own narrow copy of the contract. */
	record StandardPublished(String eventId, String standardId, int version, LocalDate validFrom, Standard standard) {

		record Standard(String agencyId, int processingDays, String channels, JsonNode applicationForm) {
		}

	}

	@KafkaListener(topics = TOPIC, groupId = "application-service-standards")
	void published(ConsumerRecord<String, String> record) {
		StandardPublished published = this.contracts.read(record, StandardPublished.class);
		StandardPublished.Standard standard = published.standard();
		KnownStandard known = new KnownStandard(published.eventId(), published.standardId(), published.version(),
				published.validFrom(), standard.agencyId(), standard.processingDays(), standard.channels(),
				this.json.writeValueAsString(standard.applicationForm()));
		if (!known.id().equals(published.standardId() + "@" + published.version())) {
			throw new ContractViolation("eventId " + known.id() + " is not <standardId>@<version> ("
					+ published.standardId() + "@" + published.version() + ")");
		}
		// the consumer thread waits (a standard's versions stay in order); a failure is retried, then
		// dead-lettered, before the offset moves on. Kept once: a redelivery is the same record; a
		// record with the same id and other content is refused, never saved over the version citizens
		// apply under (it could send their forms to another agency).
		KnownStandard kept = this.standards.findById(known.id())
			.switchIfEmpty(Mono.defer(() -> this.standards.insert(known)))
			.block(Duration.ofSeconds(10));
		this.versions.synchronous().invalidate(known.standardId());
		if (kept != null && !kept.equals(known)) {
			throw new ContractViolation("published version " + known.id()
					+ " was already received with other content; a published version never changes");
		}
	}

	/** The version of a standard that applies today, if any is published and already valid. */
	public Mono<KnownStandard> current(String standardId) {
		LocalDate today = MppTime.nationalToday(this.clock);
		return Mono.fromFuture(() -> this.versions.get(standardId,
				(key, executor) -> this.standards.findByStandardId(key).collectList().toFuture()))
			.flatMapIterable(found -> found)
			.filter(standard -> !standard.validFrom().isAfter(today))
			.reduce((a, b) -> a.version() >= b.version() ? a : b);
	}

}
