package id.mppdigital.application.standard;

import java.time.Duration;
import java.util.List;

import id.mppdigital.application.ApplicationWebTests;
import id.mppdigital.defaults.events.DeadLetters;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.defaults.test.DeadLetterProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica takes the catalog's events as the contract describes them, and a record that breaks
 * the contract neither stops it nor leaves a half-read standard behind: it lands in the topic's DLT
 * and the next published version is known as usual.
 */
class StandardReplicaTests extends ApplicationWebTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	StandardReplica replica;

	@Autowired
	KnownStandardRepository known;

	@Test
	void aPoisonRecordIsDeadLetteredAndTheNextVersionIsKnown() throws Exception {
		try (DeadLetterProbe deadLetters = DeadLetterProbe.of(this.broker, StandardReplica.TOPIC)) {
			ObjectNode wrongVersion = ContractExamples.first(StandardReplica.TOPIC)
				.put("eventId", "akta-kematian@1")
				.put("standardId", "akta-kematian")
				.put("version", "one");
			ObjectNode good = ContractExamples.first(StandardReplica.TOPIC)
				.put("eventId", "akta-kematian@2")
				.put("standardId", "akta-kematian")
				.put("version", 2)
				.put("validFrom", "2026-01-01");
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, "akta-kematian", "\u0000garbage")).get();
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, "akta-kematian", ContractExamples.text(wrongVersion))).get();
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, "akta-kematian", ContractExamples.text(good))).get();

			List<ConsumerRecord<String, String>> dead = deadLetters.next(2);
			assertThat(dead).extracting(ConsumerRecord::key).containsOnly("akta-kematian");
			assertThat(DeadLetterProbe.header(dead.get(0), DeadLetters.REASON_HEADER)).startsWith("contract: not JSON");
			assertThat(DeadLetterProbe.header(dead.get(1), DeadLetters.REASON_HEADER)).contains("/version");
			KnownStandard current = Mono.defer(() -> this.replica.current("akta-kematian"))
				.repeatWhenEmpty(times -> times.delayElements(Duration.ofMillis(100)))
				.block(Duration.ofSeconds(20));
			assertThat(current.version()).isEqualTo(2);
			assertThat(current.agencyId()).isEqualTo("dukcapil");
			assertThat(this.known.findById("akta-kematian@1").block()).isNull();
		}
	}

	@Test
	void aPublishedVersionIsNeverReplacedAndOnlyItsProducerIsBelieved() throws Exception {
		try (DeadLetterProbe deadLetters = DeadLetterProbe.of(this.broker, StandardReplica.TOPIC)) {
			ObjectNode published = ContractExamples.first(StandardReplica.TOPIC)
				.put("eventId", "surat-pindah@1")
				.put("standardId", "surat-pindah")
				.put("version", 1)
				.put("validFrom", "2026-01-01");
			// the same id again, now naming another agency: what a forger would send
			ObjectNode forged = published.deepCopy();
			forged.withObject("standard").put("agencyId", "agency-of-the-forger");
			ObjectNode otherSource = ContractExamples.first(StandardReplica.TOPIC)
				.put("eventId", "surat-pindah@2")
				.put("standardId", "surat-pindah")
				.put("version", 2)
				.put("validFrom", "2026-01-01");
			String key = "surat-pindah";
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, key, ContractExamples.text(published))).get();
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, key, ContractExamples.text(published))).get();
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, key, ContractExamples.text(forged))).get();
			this.kafka.send(ContractExamples.record(StandardReplica.TOPIC, key, ContractExamples.text(otherSource),
					"ce_source", "/someone-else")).get();

			List<ConsumerRecord<String, String>> dead = deadLetters.next(2);
			assertThat(DeadLetterProbe.header(dead.get(0), DeadLetters.REASON_HEADER))
				.contains("surat-pindah@1 was already received with other content");
			assertThat(DeadLetterProbe.header(dead.get(1), DeadLetters.REASON_HEADER)).contains("ce_source");
			KnownStandard kept = this.known.findById("surat-pindah@1").block();
			assertThat(kept.agencyId()).isEqualTo(published.path("standard").path("agencyId").asString());
			assertThat(this.known.findById("surat-pindah@2").block()).isNull();
		}
	}

}
