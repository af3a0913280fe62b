package id.mppdigital.notification.delivery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A citizen's quiet hours, read on the clock of their MPP: from {@code from} to {@code to} local time
 * (over midnight when {@code to} is earlier, e.g. 21:00–07:00), non-urgent SMS and WhatsApp messages
 * wait until {@code to}. {@code from} equal to {@code to} is no quiet hours.
 */
final class QuietHours {

	private QuietHours() {
	}

	/** When the quiet hours around {@code now} end in {@code zone}; null when {@code now} is not in them. */
	static Instant until(Instant now, ZoneId zone, LocalTime from, LocalTime to) {
		if (from == null || to == null || from.equals(to)) {
			return null;
		}
		ZonedDateTime local = now.atZone(zone);
		LocalTime time = local.toLocalTime();
		LocalDate day = local.toLocalDate();
		boolean overMidnight = to.isBefore(from);
		if (!overMidnight) {
			return !time.isBefore(from) && time.isBefore(to) ? at(day, to, zone) : null;
		}
		if (!time.isBefore(from)) {
			// the evening part: until tomorrow morning
			return at(day.plusDays(1), to, zone);
		}
		return time.isBefore(to) ? at(day, to, zone) : null;
	}

	private static Instant at(LocalDate day, LocalTime time, ZoneId zone) {
		return LocalDateTime.of(day, time).atZone(zone).toInstant();
	}

}
