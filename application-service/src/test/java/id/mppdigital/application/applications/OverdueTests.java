package id.mppdigital.application.applications;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import id.mppdigital.application.ApplicationWebTests;
import id.mppdigital.application.applications.Application.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators see, per agency, how many applications are past their due date and still open. */
class OverdueTests extends ApplicationWebTests {

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	Overdue overdue;

	@Autowired
	MeterRegistry meters;

	private void stored(String id, String agency, State state, LocalDate due) {
		this.mongo.insert(new Application(id, "c-overdue", "kota-probolinggo", "cek-sertifikat-tanah", 1, agency, "{}",
				state, List.of(), Instant.parse("2026-11-01T02:00:00Z"), due, null, null, true, true, List.of(), null, null, null))
			.block(Duration.ofSeconds(5));
	}

	private Double overdueAt(String agency) {
		Gauge gauge = this.meters.find("mpp.applications.overdue").tag("agency", agency).gauge();
		return gauge == null ? null : gauge.value();
	}

	@Test
	void openApplicationsPastTheirDueDateAreCountedPerAgency() {
		// the tests' clock says 2026-11-27 (WIB)
		stored("PMH-261101-BPN00001", "bpn", State.SUBMITTED, LocalDate.parse("2026-11-20"));
		stored("PMH-261101-BPN00002", "bpn", State.IN_PROCESS, LocalDate.parse("2026-11-26"));
		stored("PMH-261101-BPN00003", "bpn", State.COMPLETED, LocalDate.parse("2026-11-20"));
		stored("PMH-261101-BPN00004", "bpn", State.SUBMITTED, LocalDate.parse("2026-11-27"));
		stored("PMH-261101-PJK00001", "pajak", State.REJECTED, LocalDate.parse("2026-11-02"));
		this.overdue.recount().block(Duration.ofSeconds(5));

		// due today is not late yet; decided ones never are
		assertThat(overdueAt("bpn")).isEqualTo(2.0);
		assertThat(overdueAt("pajak")).isNull();
	}

}
