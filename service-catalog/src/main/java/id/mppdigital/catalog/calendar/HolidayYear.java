package id.mppdigital.catalog.calendar;

import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The holidays of one year for one scope — {@code national} (set by platform administrators,
 * applies to every MPP) or an MPP's id (local holidays, set by its administrator) — replaced as a
 * whole, so each change is one document write.
 *
 * @param id {@code <scope>:<year>}
 */
@Document("holidays")
public record HolidayYear(@Id String id, String scope, int year, List<Holiday> holidays) {

	public static final String NATIONAL = "national";

	public static String id(String scope, int year) {
		return scope + ":" + year;
	}

}
