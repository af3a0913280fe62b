package id.mppdigital.catalog.calendar;

import java.time.LocalDate;
import java.time.ZoneId;

import id.mppdigital.catalog.CatalogWebTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The working-day calendar application-service computes due dates with: weekends, national and
 * local holidays, each MPP's own hours, year boundaries and time zones.
 */
class WorkingDayTests extends CatalogWebTests {

	@Autowired
	ReactiveMongoTemplate mongo;

	/** Each test sets the holidays and hours it needs (the demo holidays too are dropped). */
	@BeforeEach
	@AfterEach
	void forget() {
		this.mongo.remove(new Query(), HolidayYear.class).block();
		this.mongo.remove(new Query(), MppCalendar.class).block();
	}

	WebTestClient.ResponseSpec put(String uri, String token, String body) {
		return this.client.put().uri(uri).headers(headers -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	String add(String mpp, String from, int days) {
		return this.client.get().uri("/mpps/" + mpp + "/working-days?from=" + from + "&add=" + days).exchange()
			.expectStatus().isOk().expectBody(WorkingDays.Addition.class).returnResult().getResponseBody().date().toString();
	}

	void nationalHolidays(String year, String json) {
		put("/holidays/" + year + "/national", issuer.platformAdmin("s-platform"), "{\"holidays\": " + json + "}")
			.expectStatus().isOk();
	}

	@Test
	void weekendsAreNotWorkingDays() {
		this.client.get().uri("/mpps/kota-probolinggo/days/2026-11-28").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.working").isEqualTo(false).jsonPath("$.reason").isEqualTo("weekend");
		this.client.get().uri("/mpps/kota-probolinggo/days/2026-11-30").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.working").isEqualTo(true).jsonPath("$.hours.opens").isEqualTo("08:00:00");
		// Friday + 1 working day = Monday; a Saturday + 0 = the next Monday
		assertThat(add("kota-probolinggo", "2026-11-27", 1)).isEqualTo("2026-11-30");
		assertThat(add("kota-probolinggo", "2026-11-28", 0)).isEqualTo("2026-11-30");
		assertThat(add("kota-probolinggo", "2026-11-30", 10)).isEqualTo("2026-12-14");
	}

	@Test
	void nationalHolidaysCountEverywhereAndLocalOnesOnlyAtTheirMpp() {
		nationalHolidays("2026", "[{\"date\": \"2026-12-25\", \"name\": \"Hari Raya Natal\"}]");
		this.client.get().uri("/mpps/kota-surabaya/days/2026-12-25").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.working").isEqualTo(false).jsonPath("$.reason").isEqualTo("Hari Raya Natal");
		assertThat(add("kota-surabaya", "2026-12-24", 1)).isEqualTo("2026-12-28");

		String probolinggo = issuer.mppAdmin("s-pbl", "kota-probolinggo");
		put("/mpps/kota-probolinggo/holidays/2026", probolinggo,
				"{\"holidays\": [{\"date\": \"2026-12-28\", \"name\": \"Cuti bersama daerah\"}]}").expectStatus().isOk();
		assertThat(add("kota-probolinggo", "2026-12-24", 1)).isEqualTo("2026-12-29");
		assertThat(add("kota-surabaya", "2026-12-24", 1)).isEqualTo("2026-12-28");
		this.client.get().uri("/holidays/2026?mpp=kota-probolinggo").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$[*].scope").isEqualTo(java.util.List.of("national", "kota-probolinggo"));
		// the administrator of another MPP may not
		put("/mpps/kota-probolinggo/holidays/2026", issuer.mppAdmin("s-sby", "kota-surabaya"),
				"{\"holidays\": []}").expectStatus().isForbidden();
	}

	@Test
	void dueDatesCrossTheYearWithTheNextYearsHolidays() {
		nationalHolidays("2027", "[{\"date\": \"2027-01-01\", \"name\": \"Tahun Baru Masehi\"}]");
		// Wed 30 Dec + 3: Thu 31 (1), Fri 1 Jan holiday, weekend, Mon 4 (2), Tue 5 (3)
		assertThat(add("kota-makassar", "2026-12-30", 3)).isEqualTo("2027-01-05");
	}

	@Test
	void eachMppKeepsItsOwnHoursAndTodayIsInItsOwnTimeZone() {
		put("/mpps/kota-jayapura/hours", issuer.mppAdmin("s-jpr", "kota-jayapura"), """
				{"monday": {"opens": "08:00", "closes": "15:00"}, "tuesday": {"opens": "08:00", "closes": "15:00"},
				 "wednesday": {"opens": "08:00", "closes": "15:00"}, "thursday": {"opens": "08:00", "closes": "15:00"},
				 "friday": {"opens": "08:00", "closes": "11:30"}, "saturday": {"opens": "08:00", "closes": "12:00"}}""")
			.expectStatus().isOk();
		this.client.get().uri("/mpps/kota-jayapura/days/2026-11-28").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.working").isEqualTo(true).jsonPath("$.hours.closes").isEqualTo("12:00:00");
		assertThat(add("kota-jayapura", "2026-11-27", 1)).isEqualTo("2026-11-28");
		assertThat(add("kota-probolinggo", "2026-11-27", 1)).isEqualTo("2026-11-30");
		this.client.get().uri("/mpps/kota-jayapura/today").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.date").isEqualTo(LocalDate.now(ZoneId.of("Asia/Jayapura")).toString());
	}

	@Test
	void invalidCalendarsAreRefusedAndNothingIsStored() {
		String admin = issuer.platformAdmin("s-platform");
		put("/holidays/2026/national", admin, "{\"holidays\": [{\"date\": \"2027-01-01\", \"name\": \"Tahun Baru\"}]}")
			.expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("holidays[0].date");
		put("/holidays/2026/national", admin, "{\"holidays\": [{\"date\": \"2026-12-25\", \"name\": \"Natal\"}, "
				+ "{\"date\": \"2026-12-25\", \"name\": \"Natal\"}]}").expectStatus().isEqualTo(422);
		put("/holidays/2026/national", admin, "{\"holidays\": [{\"date\": \"2026-12-25\", \"name\": \"\"}]}")
			.expectStatus().isBadRequest();
		put("/mpps/kota-jayapura/hours", admin, "{\"monday\": {\"opens\": \"15:00\", \"closes\": \"08:00\"}}")
			.expectStatus().isBadRequest();
		put("/holidays/2026/national", issuer.mppAdmin("s-pbl", "kota-probolinggo"), "{\"holidays\": []}")
			.expectStatus().isForbidden();
		assertThat(this.mongo.findAll(HolidayYear.class).collectList().block()).isEmpty();
		assertThat(this.mongo.findAll(MppCalendar.class).collectList().block()).isEmpty();
		this.client.get().uri("/mpps/nowhere/days/2026-11-30").exchange().expectStatus().isNotFound();
		this.client.get().uri("/mpps/kota-jayapura/working-days?from=2026-11-30&add=-1").exchange()
			.expectStatus().isBadRequest();
		// year -1 (and the far future) is nobody's working day: a 400 naming the field
		this.client.get().uri("/mpps/kota-probolinggo/days/-0001-01-01").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType("application/problem+json")
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("date");
		this.client.get().uri("/mpps/kota-probolinggo/working-days?from=2201-01-01&add=1").exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("from");
	}

}
