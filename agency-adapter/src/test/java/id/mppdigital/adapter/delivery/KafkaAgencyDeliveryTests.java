package id.mppdigital.adapter.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter and an agency whose own system speaks Kafka (the simulator reads its topic as a real
 * consumer group and reports on its own topic): each application once, its reports back in order;
 * a report about an application that is not this agency's, or naming another agency, goes to the
 * reports topic's DLT with the reason.
 */
class KafkaAgencyDeliveryTests extends AgencyHarness {

	@Test
	void anApplicationReachesTheAgencysTopicOnceAndItsReportsComeBackFromItsOwn() throws Exception {
		String id = submit("pln", "Pelanggan Baru");
		until("taken by the agency", Duration.ofSeconds(20), () -> pln.received(id));
		List<JsonNode> reports = acceptedReports(id, 4, Duration.ofSeconds(30));
		assertThat(reports).extracting(report -> report.get("status").asString())
			.containsExactly("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");
		assertThat(reports).allSatisfy(report -> {
			assertThat(report.get("agencyId").asString()).isEqualTo("pln");
			assertThat(report.get("via").asString()).isEqualTo("kafka");
		});
		// written again (the broker's acknowledgement was lost): the agency takes it once, by its event id
		long requests = pln.requests();
		this.store.updateFirst(Query.query(Criteria.where("_id").is(id)),
				new Update().set("state", "PENDING").set("nextAttemptAt", Instant.now()), Delivery.class).block();
		until("read again by the agency", Duration.ofSeconds(20), () -> pln.requests() > requests);
		assertThat(pln.duplicates()).isZero();
	}

	@Test
	void aReportOnAnotherAgencysApplicationOrNamingAnotherAgencyIsDeadLettered() throws Exception {
		String bpns = submit("bpn", "Bukan PLN");
		until("bpn has it", Duration.ofSeconds(20), () -> bpn.received(bpns));
		String plns = submit("pln", "Punya PLN");
		until("pln has it", Duration.ofSeconds(20), () -> pln.received(plns));
		send(report("FORGED-1", bpns), "/agencies/pln");
		send(report("FORGED-2", plns), "/agencies/bpn");
		send("{\"reportId\":\"BAD-3\"}", "/agencies/pln");

		List<ConsumerRecord<String, String>> dead = new ArrayList<>();
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "dlt-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "earliest");
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
				new StringDeserializer()).createConsumer()) {
			consumer.subscribe(List.of("mpp.agency.pln.reports.v1.DLT"));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (dead.size() < 3 && System.nanoTime() < deadline) {
				KafkaTestUtils.getRecords(consumer, Duration.ofMillis(500)).forEach(dead::add);
			}
		}
		assertThat(dead).extracting(record -> reason(record))
			.anySatisfy(reason -> assertThat(reason).contains("not delivered to agency pln"))
			.anySatisfy(reason -> assertThat(reason).contains("ce_source /agencies/bpn"))
			.anySatisfy(reason -> assertThat(reason).contains("contract"));
		assertThat(acceptedReports(bpns, 10, Duration.ofSeconds(2)))
			.noneMatch(report -> report.get("reportId").asString().startsWith("FORGED"));
	}

	private static String report(String reportId, String applicationId) {
		return "{\"reportId\":\"" + reportId + "\",\"applicationId\":\"" + applicationId
				+ "\",\"status\":\"REJECTED\",\"reason\":\"palsu\",\"at\":\"" + Instant.now() + "\"}";
	}

	private void send(String value, String source) throws Exception {
		ProducerRecord<String, String> record = new ProducerRecord<>("mpp.agency.pln.reports.v1", "k", value);
		record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_id", ("id-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_type", "id.mppdigital.agency.report.v1".getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_source", source.getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
		this.kafka.send(record).get();
	}

	private static String reason(ConsumerRecord<String, String> record) {
		var header = record.headers().lastHeader("mpp_dlt_reason");
		return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
	}

}
