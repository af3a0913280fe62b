package id.mppdigital.defaults;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Indonesia's three time zones, and the one the platform's national calendar is kept in. An MPP's
 * own day (opening hours, due dates, its queue numbers) is in its zone; national dates (holidays, a
 * standard's {@code validFrom}, the day in a tracking number) are in WIB, as the government publishes
 * them.
 */
public final class MppTime {

	/** WIB (UTC+7): Jakarta, and the national calendar. */
	public static final ZoneId NATIONAL = ZoneId.of("Asia/Jakarta");

	/** The zones an MPP may be in — WIB, WITA (UTC+8), WIT (UTC+9) — for {@code @Pattern} validation. */
	public static final String ZONE_PATTERN = "Asia/(Jakarta|Makassar|Jayapura)";

	private MppTime() {
	}

	/** Today on the national calendar (WIB). */
	public static LocalDate nationalToday(Clock clock) {
		return LocalDate.now(clock.withZone(NATIONAL));
	}

}
