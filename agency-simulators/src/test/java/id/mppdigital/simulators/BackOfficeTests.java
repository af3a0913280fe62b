package id.mppdigital.simulators;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A back office decides on what it took, in order; held decisions begin only when released. */
class BackOfficeTests {

	@Test
	void heldDecisionsBeginWhenReleasedInTheOrderTaken() throws Exception {
		try (BackOffice office = new BackOffice("dukcapil", Duration.ZERO)) {
			List<String> reports = new CopyOnWriteArrayList<>();
			office.holdDecisions(true);
			office.take("app-1", "key-1", "Siti", step -> reports.add(step.applicationId() + " " + step.status()));
			office.take("app-2", "key-2", "Budi", step -> reports.add(step.applicationId() + " " + step.status()));
			// registered at the front desk (counted once each), nothing decided yet
			assertThat(office.applications()).isEqualTo(2);
			Thread.sleep(200);
			assertThat(reports).isEmpty();

			office.holdDecisions(false);
			await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 8);
			assertThat(reports).filteredOn(report -> report.startsWith("app-1"))
				.containsExactly("app-1 RECEIVED", "app-1 IN_PROCESS", "app-1 APPROVED", "app-1 COMPLETED");
			assertThat(reports.indexOf("app-1 RECEIVED")).isLessThan(reports.indexOf("app-2 RECEIVED"));

			// and afterwards it decides at once again
			office.take("app-3", "key-3", "Ani", step -> reports.add(step.applicationId() + " " + step.status()));
			await().atMost(Duration.ofSeconds(5)).until(() -> reports.contains("app-3 COMPLETED"));
			// a repeat under the same key is the same registration
			assertThat(office.take("app-3", "key-3", "Ani", step -> { }).fresh()).isFalse();
			assertThat(office.duplicates()).isZero();
		}
	}

}
