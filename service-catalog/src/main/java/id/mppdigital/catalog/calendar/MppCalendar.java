package id.mppdigital.catalog.calendar;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** An MPP's opening hours (an MPP without a document here keeps office hours, Monday to Friday). */
@Document("mpp_calendars")
record MppCalendar(@Id String mppId, OpeningHours openingHours) {
}
