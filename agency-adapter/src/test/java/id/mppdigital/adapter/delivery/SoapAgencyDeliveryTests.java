package id.mppdigital.adapter.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.simulators.BackOffice;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter against a real 2009-style SOAP back office on loopback (the SKCK service of
 * {@code contracts/agencies/skck-2009.wsdl}): it takes no idempotency key and has no webhook, so the
 * adapter looks an uncertain delivery up before sending it again, and polls each application's
 * status until the agency's last word.
 */
class SoapAgencyDeliveryTests extends AgencyHarness {

	@Test
	void anApplicationReachesTheSoapServiceOnceAndItsHistoryIsPolledBackInOrder() throws Exception {
		String id = submit("polri", "Rina Wulandari");
		until("delivery", Duration.ofSeconds(20), () -> polri.received(id));

		List<JsonNode> reports = acceptedReports(id, 4, Duration.ofSeconds(30));
		assertThat(reports).extracting(report -> report.get("status").asString())
			.containsExactly("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");
		assertThat(reports).allSatisfy(report -> {
			assertThat(report.get("agencyId").asString()).isEqualTo("polri");
			assertThat(report.get("via").asString()).isEqualTo("soap");
			assertThat(report.get("agencyReference").asString()).startsWith("POLRI-");
			assertThat(report.get("reportId").asString()).startsWith(id + "-");
		});
		assertThat(reports.get(3).get("collection").asString()).contains("loket");
		assertThat(polri.duplicates()).isZero();
		// after the agency's last word it is asked no more
		until("polling ended", Duration.ofSeconds(5), () -> this.store.findById(id, Delivery.class).block().nextPollAt() == null);
		Delivery stored = this.store.findById(id, Delivery.class).block();
		assertThat(stored.reportedSequence()).isEqualTo(4);
		assertThat(stored.payload()).isNull();
	}

	/**
	 * The SOAP service has no idempotency key: sending again what it already took would register the
	 * application twice (the simulator counts that). An attempt whose answer was lost is uncertain, so
	 * the adapter asks CekStatus first and finds it there.
	 */
	@Test
	void anUncertainDeliveryIsLookedUpBeforeItIsSentAgain() throws Exception {
		polri.mode(BackOffice.Mode.ANSWER_LOST);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(submit("polri", "Ragu " + i));
		}
		until("some taken by the agency", Duration.ofSeconds(30), () -> ids.stream().filter(polri::received).count() >= 3);
		List<String> taken = ids.stream().filter(polri::received).toList();
		assertThat(taken).allMatch(id -> {
			Delivery delivery = this.store.findById(id, Delivery.class).block();
			return delivery.state() == Delivery.State.PENDING && delivery.uncertain();
		});
		polri.mode(BackOffice.Mode.NORMAL);
		until("all delivered", Duration.ofSeconds(60), () -> ids.stream()
			.allMatch(id -> stateOf(id) == Delivery.State.DELIVERED));
		assertThat(polri.duplicates()).isZero();
		assertThat(ids).allMatch(polri::received);
		assertThat(ids).allSatisfy(id -> assertThat(this.store.findById(id, Delivery.class).block().agencyReference())
			.startsWith("POLRI-"));
	}

	@Test
	void contentTheServiceRefusesAndFormsThatDoNotMapToItsSchemaWaitForAnOperator() throws Exception {
		String poison = submit("polri", "TOLAK");
		// a form field whose name the agency's schema cannot carry: a mapping error, never sent
		String id = newApplicationId();
		ObjectNode event = ContractExamples.first(SubmittedApplications.TOPIC).put("eventId", id).put("applicationId", id)
			.put("agencyId", "polri");
		((ObjectNode) event.get("form")).put("nama", "Tanpa Peta").put("catatan <lain>", "x");
		long requests = polri.requests();
		this.kafka.send(ContractExamples.record(SubmittedApplications.TOPIC, "polri", ContractExamples.text(event))).get();
		String fine = submit("polri", "Agus Salim");

		until("the good one delivered", Duration.ofSeconds(20), () -> polri.received(fine));
		until("both refused", Duration.ofSeconds(20), () -> List.of(poison, id).stream()
			.allMatch(each -> stateOf(each) == Delivery.State.REFUSED));
		assertThat(this.store.findById(poison, Delivery.class).block().lastError()).contains("SOAP fault").contains("Client");
		assertThat(this.store.findById(id, Delivery.class).block().lastError()).startsWith("mapping:");
		assertThat(polri.received(poison)).isFalse();
		assertThat(polri.received(id)).isFalse();
		// the unmappable one never left the adapter: only the poison and the good one were calls
		assertThat(polri.requests() - requests).isEqualTo(2);
	}

}
