package id.mppdigital.application.standard;

import java.time.LocalDate;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One published version of a service standard, as far as applications need it: this service's own
 * copy, filled from the catalog's {@code mpp.catalog.service-standard-published.v1} events (published
 * versions never change, so the copy never goes stale).
 *
 * @param id {@code <standardId>@<version>}, the event's id
 * @param validFrom first day the version applies (WIB calendar)
 * @param agencyId the agency that decides applications under it
 * @param processingDays promised processing time in working days
 * @param channels where it can be applied for: {@code ONLINE}, {@code COUNTER} or {@code BOTH}
 * @param form the application form's JSON Schema, as JSON text
 */
@Document("standards")
public record KnownStandard(@Id String id, String standardId, int version, LocalDate validFrom, String agencyId,
		int processingDays, String channels, String form) {

	/** Whether citizens may apply through the apps (not only at the counter). */
	public boolean online() {
		return !"COUNTER".equals(this.channels);
	}
}
