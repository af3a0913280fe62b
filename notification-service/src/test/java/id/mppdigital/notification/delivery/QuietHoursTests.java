package id.mppdigital.notification.delivery;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Quiet hours are read on the MPP's own clock: the same instant is night in Jayapura and evening in Jakarta. */
class QuietHoursTests {

	@ParameterizedTest(name = "{0} in {1}, quiet {2}-{3}: until {4}")
	@CsvSource(nullValues = "-", value = {
			// 21:00-07:00 over midnight; 13:30 UTC = 20:30 WIB, 21:30 WITA, 22:30 WIT
			"2026-12-07T13:30:00Z, Asia/Jakarta,   21:00, 07:00, -",
			"2026-12-07T13:30:00Z, Asia/Makassar,  21:00, 07:00, 2026-12-07T23:00:00Z",
			"2026-12-07T13:30:00Z, Asia/Jayapura,  21:00, 07:00, 2026-12-07T22:00:00Z",
			// 23:30 UTC = 06:30 WIB (still quiet, until 07:00 WIB), 07:30 WITA, 08:30 WIT
			"2026-12-07T23:30:00Z, Asia/Jakarta,   21:00, 07:00, 2026-12-08T00:00:00Z",
			"2026-12-07T23:30:00Z, Asia/Makassar,  21:00, 07:00, -",
			"2026-12-07T23:30:00Z, Asia/Jayapura,  21:00, 07:00, -",
			// exactly at the start: quiet; exactly at the end: not
			"2026-12-07T14:00:00Z, Asia/Jakarta,   21:00, 07:00, 2026-12-08T00:00:00Z",
			"2026-12-08T00:00:00Z, Asia/Jakarta,   21:00, 07:00, -",
			// a window within one day (a siesta): 06:30 UTC = 13:30 WIB
			"2026-12-07T06:30:00Z, Asia/Jakarta,   13:00, 14:00, 2026-12-07T07:00:00Z",
			"2026-12-07T07:30:00Z, Asia/Jakarta,   13:00, 14:00, -",
			// the same time twice: no quiet hours
			"2026-12-07T14:30:00Z, Asia/Jakarta,   21:00, 21:00, -" })
	void quietHoursEndOnTheMppsClock(Instant now, String zone, LocalTime from, LocalTime to, Instant until) {
		assertThat(QuietHours.until(now, ZoneId.of(zone), from, to)).isEqualTo(until);
	}

}
