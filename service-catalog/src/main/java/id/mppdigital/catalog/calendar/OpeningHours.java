package id.mppdigital.catalog.calendar;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

/**
 * When an MPP is open, per weekday; a day without hours is closed. Times are local to the MPP's
 * time zone.
 */
record OpeningHours(@Valid Hours monday, @Valid Hours tuesday, @Valid Hours wednesday, @Valid Hours thursday,
		@Valid Hours friday, @Valid Hours saturday, @Valid Hours sunday) {

	/** Open from {@code opens} to {@code closes} on one day. */
	public record Hours(@NotNull LocalTime opens, @NotNull LocalTime closes) {

		@AssertTrue(message = "must close after it opens")
		boolean isOrdered() {
			return this.opens == null || this.closes == null || this.closes.isAfter(this.opens);
		}

	}

	/** Monday to Friday 08:00–15:00, the usual hours of a government office. */
	public static OpeningHours weekdays() {
		Hours office = new Hours(LocalTime.of(8, 0), LocalTime.of(15, 0));
		return new OpeningHours(office, office, office, office, office, null, null);
	}

	public Hours on(DayOfWeek day) {
		return asMap().get(day);
	}

	Map<DayOfWeek, Hours> asMap() {
		Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
		days.put(DayOfWeek.MONDAY, this.monday);
		days.put(DayOfWeek.TUESDAY, this.tuesday);
		days.put(DayOfWeek.WEDNESDAY, this.wednesday);
		days.put(DayOfWeek.THURSDAY, this.thursday);
		days.put(DayOfWeek.FRIDAY, this.friday);
		days.put(DayOfWeek.SATURDAY, this.saturday);
		days.put(DayOfWeek.SUNDAY, this.sunday);
		return days;
	}

}
