package id.mppdigital.queue.site;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * queue-service's copy of one MPP as the catalog describes it: its zone, hours and holidays, its
 * counters (loket) and the services offered there with their queue letters and daily quotas. Never
 * typed in here: {@link Sites} fetches it from the catalog and keeps it for when the catalog is down.
 *
 * @param mppId the MPP
 * @param name its name, for boards
 * @param timeZone WIB, WITA or WIT ({@code Asia/Jakarta}, {@code Asia/Makassar}, {@code Asia/Jayapura})
 * @param hours opening hours per weekday; a day without is closed
 * @param holidays the days it is closed although it would be open (national and local)
 * @param counters its counters
 * @param offerings the services offered, each in the queue of its letters
 * @param fetchedAt when the catalog last answered for it
 */
@Document("sites")
public record Site(@Id String mppId, String name, String timeZone, Map<DayOfWeek, Hours> hours, List<LocalDate> holidays,
		List<Counter> counters, List<Offering> offerings, Instant fetchedAt) {

	/** Open from {@code opens} to {@code closes}, local time. */
	public record Hours(LocalTime opens, LocalTime closes) {
	}

	/** A counter and the services served there. */
	public record Counter(int number, String name, String agencyId, List<String> standardIds) {
	}

	/**
	 * A service offered at the MPP.
	 *
	 * @param queuePrefix the letters of its queue numbers: services with the same letters share one line
	 * @param dailyQuota how many may be served a day, walk-ins and bookings together; null: no limit
	 * @param days the weekdays it is offered; empty: every open day
	 * @param booking how it is booked online; null: walk-in only
	 */
	public record Offering(String standardId, String agencyId, String name, String queuePrefix, Integer dailyQuota,
			List<DayOfWeek> days, Booking booking) {

		/** Whether it is served on a day the MPP is open. */
		public boolean offeredOn(LocalDate day) {
			return this.days.isEmpty() || this.days.contains(day.getDayOfWeek());
		}

	}

	/**
	 * Online booking, in slots of the opening hours.
	 *
	 * @param slotMinutes a slot's length; the first starts at the opening time, the last ends by the closing time
	 * @param slotCapacity bookings a slot takes
	 * @param onlineQuota how many of the daily quota may be booked online; null: as many as the slots take
	 */
	public record Booking(int slotMinutes, int slotCapacity, Integer onlineQuota) {
	}

	/** The start times of a day's slots for an offering, local; empty when it is not booked that day. */
	public List<LocalTime> slots(Offering offering, LocalDate day) {
		if (offering.booking() == null || !offering.offeredOn(day)) {
			return List.of();
		}
		return hoursOn(day).map(open -> {
			java.util.List<LocalTime> starts = new java.util.ArrayList<>();
			int length = offering.booking().slotMinutes();
			for (LocalTime start = open.opens(); !start.plusMinutes(length).isAfter(open.closes())
					&& !start.plusMinutes(length).isBefore(start); start = start.plusMinutes(length)) {
				starts.add(start);
			}
			return List.copyOf(starts);
		}).orElse(List.of());
	}

	/** The instant a local time of a day is at the MPP. */
	public Instant at(LocalDate day, LocalTime time) {
		return day.atTime(time).atZone(zone()).toInstant();
	}

	public ZoneId zone() {
		return ZoneId.of(this.timeZone);
	}

	public Optional<Counter> counter(int number) {
		return this.counters.stream().filter(counter -> counter.number() == number).findFirst();
	}

	public Optional<Offering> offering(String standardId) {
		return this.offerings.stream().filter(offering -> offering.standardId().equals(standardId)).findFirst();
	}

	/** The queues (letters) a counter serves: those of the services served there. */
	public List<String> queuesOf(Counter counter) {
		return this.offerings.stream()
			.filter(offering -> counter.standardIds().contains(offering.standardId()))
			.map(Offering::queuePrefix)
			.distinct()
			.sorted()
			.toList();
	}

	/** The agency whose counters serve a queue, or empty for a queue nobody serves. */
	public Optional<String> agencyOf(String queue) {
		return this.offerings.stream().filter(offering -> offering.queuePrefix().equals(queue))
			.map(Offering::agencyId).findFirst();
	}

	/** The hours of a day, or empty when the MPP is closed that day (weekday without hours or holiday). */
	public Optional<Hours> hoursOn(LocalDate day) {
		if (this.holidays.contains(day)) {
			return Optional.empty();
		}
		return Optional.ofNullable(this.hours.get(day.getDayOfWeek()));
	}

	/** The day at the MPP at an instant: queue numbers restart at its local midnight. */
	public LocalDate dayAt(Instant instant) {
		return LocalDate.ofInstant(instant, zone());
	}

	/** Whether the MPP is open at an instant. */
	public boolean openAt(Instant instant) {
		ZonedDateTime local = instant.atZone(zone());
		return hoursOn(local.toLocalDate())
			.filter(open -> !local.toLocalTime().isBefore(open.opens()) && local.toLocalTime().isBefore(open.closes()))
			.isPresent();
	}

}
