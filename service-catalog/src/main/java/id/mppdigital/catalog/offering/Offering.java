package id.mppdigital.catalog.offering;

import java.time.DayOfWeek;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An MPP offers a service standard, with its local details: the national standard applies, the MPP
 * says when (and how many a day) it is served; where is the counter whose services include it
 * ({@link id.mppdigital.catalog.counter.Counter}, the one place that says so).
 *
 * @param id {@code <mppId>:<standardId>}
 * @param days weekdays it is served; empty means every day the MPP is open
 * @param dailyQuota applications or queue numbers a day; null for no limit
 * @param notes local notes for citizens (Bahasa Indonesia)
 * @param booking how it may be booked online for a time at the counter; null: walk-in only
 */
@Document("offerings")
public record Offering(@Id String id, String mppId, String standardId, List<DayOfWeek> days,
		Integer dailyQuota, String notes, Booking booking) {

	/**
	 * Online booking of a visit to the counter, in slots of the opening hours.
	 *
	 * @param slotMinutes how long a slot is; slots start at the opening time
	 * @param slotCapacity how many bookings a slot takes
	 * @param onlineQuota how many of the daily quota may be booked online (the rest is for walk-ins,
	 *     who also get every online place no longer bookable); null: as many as the slots take
	 */
	public record Booking(int slotMinutes, int slotCapacity, Integer onlineQuota) {
	}

	public static String id(String mppId, String standardId) {
		return mppId + ":" + standardId;
	}

}
