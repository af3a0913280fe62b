package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import id.mppdigital.queue.site.Site;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * A day's booking slots of a service at an MPP and what is left of them, and the places of the
 * daily quota still held for online bookings. The quota is one count shared by walk-ins and
 * bookings; walk-ins may take every place of it except those still bookable online, which are the
 * online places not yet booked ({@code onlineQuota}) as far as slots that have not begun can take
 * them. An online place whose slot has begun unbooked goes to walk-ins, so that neither side uses
 * up the other's places and none is left unused.
 */
@Component
class Slots {

	private final Counts counts;

	Slots(Counts counts) {
		this.counts = counts;
	}

	/** One slot: its local start, when it begins and ends, how many it takes and how many booked it. */
	record Slot(LocalTime time, Instant startsAt, Instant endsAt, int capacity, long booked) {

		long free(Instant now) {
			return this.startsAt.isAfter(now) ? Math.max(0, this.capacity - this.booked) : 0;
		}

	}

	/** The day's slots and the online bookings made for the day. */
	record Day(List<Slot> slots, long bookedOnline, Integer onlineQuota) {

		/** The online places not yet booked, as far as the slots take them. */
		long remainingOnline(Instant now) {
			return this.onlineQuota == null ? Long.MAX_VALUE : Math.max(0, this.onlineQuota - this.bookedOnline);
		}

		/** The online places still held from walk-ins at {@code now}. */
		long stillBookable(Instant now) {
			long free = this.slots.stream().mapToLong(slot -> slot.free(now)).sum();
			return Math.min(free, remainingOnline(now));
		}

	}

	Mono<Day> day(Site site, Site.Offering offering, LocalDate day) {
		List<LocalTime> times = site.slots(offering, day);
		if (times.isEmpty()) {
			return Mono.just(new Day(List.of(), 0, null));
		}
		List<String> keys = new ArrayList<>(times.stream().map(time -> slotKey(site.mppId(), day, offering.standardId(), time)).toList());
		keys.add(onlineKey(site.mppId(), day, offering.standardId()));
		return this.counts.values(keys).map(counted -> {
			int length = offering.booking().slotMinutes();
			List<Slot> slots = times.stream()
				.map(time -> new Slot(time, site.at(day, time), site.at(day, time.plusMinutes(length)),
						offering.booking().slotCapacity(), booked(counted, slotKey(site.mppId(), day, offering.standardId(), time))))
				.toList();
			return new Day(slots, booked(counted, onlineKey(site.mppId(), day, offering.standardId())),
					offering.booking().onlineQuota());
		});
	}

	/** How many places of the daily quota walk-ins may have between them now. */
	Mono<Integer> walkInLimit(Site site, Site.Offering offering, LocalDate day, Instant now) {
		if (offering.booking() == null) {
			return Mono.just(offering.dailyQuota());
		}
		return day(site, offering, day)
			.map(slots -> (int) Math.max(0, offering.dailyQuota() - slots.stillBookable(now)));
	}

	private static long booked(Map<String, Long> counted, String key) {
		return counted.getOrDefault(key, 0L);
	}

	static String slotKey(String mppId, LocalDate day, String standardId, LocalTime time) {
		return "slot|" + mppId + "|" + day + "|" + standardId + "|" + time;
	}

	static String onlineKey(String mppId, LocalDate day, String standardId) {
		return "online|" + mppId + "|" + day + "|" + standardId;
	}

}
