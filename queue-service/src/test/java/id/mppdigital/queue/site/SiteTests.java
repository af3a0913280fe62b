package id.mppdigital.queue.site;

import java.time.Duration;
import java.time.LocalDate;

import id.mppdigital.queue.QueueWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queues' copy of an MPP comes from the catalog, and the queues keep working on it while the
 * catalog is down.
 */
class SiteTests extends QueueWebTests {

	@Autowired
	Sites sites;

	@Test
	void anMppIsCopiedFromTheCatalogWithItsZoneHoursHolidaysCountersAndQueues() {
		Site site = this.sites.site("kota-makassar").block(Duration.ofSeconds(10));
		assertThat(site.timeZone()).isEqualTo("Asia/Makassar");
		assertThat(site.hoursOn(LocalDate.parse("2026-12-07"))).isPresent();
		assertThat(site.hoursOn(LocalDate.parse("2026-12-25"))).as("Christmas is a holiday").isEmpty();
		assertThat(site.hoursOn(LocalDate.parse("2026-12-06"))).as("Sunday").isEmpty();
		assertThat(site.queuesOf(site.counter(2).orElseThrow())).containsExactly("A", "B");
		assertThat(site.agencyOf("C")).contains("polri");
		assertThat(site.offering("ktp-el-perekaman").orElseThrow().dailyQuota()).isEqualTo(3);
	}

	@Test
	void aStaleCopyServesWhileTheCatalogIsDownAndAnUnseenMppIsUnavailable() {
		// fetched now (other tests may have seen this MPP at other times)
		this.sites.fetch("kota-jayapura").block(Duration.ofSeconds(10));
		catalog.down = true;
		time.advance(Duration.ofHours(1));
		int asked = catalog.received.size();
		// an hour later the copy is stale: it still answers, and a refresh is tried behind it
		assertThat(this.sites.site("kota-jayapura").block(Duration.ofSeconds(10)).counters()).hasSize(3);
		org.awaitility.Awaitility.await().until(() -> catalog.received.size() > asked);
		assertThatThrownBy(() -> this.sites.site("kota-unknown-while-down").block(Duration.ofSeconds(10)))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					problem -> assertThat(problem.getStatusCode().value()).isEqualTo(503));
		catalog.down = false;
		assertThatThrownBy(() -> this.sites.site("kota-unknown").block(Duration.ofSeconds(10)))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					problem -> assertThat(problem.getStatusCode().value()).isEqualTo(404));
	}

}
