package id.mppdigital.catalog.calendar;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.catalog.mpp.Mpps;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

/**
 * An MPP's opening hours and the holidays: MPP administrators set their MPP's hours and local
 * holidays, platform administrators the national holidays; anyone reads them ({@link WorkingDays}
 * counts with them).
 */
@Component
class Calendars {

	private final WorkingDays workingDays;

	private final ReactiveMongoTemplate mongo;

	private final Mpps mpps;

	private final AuditLog audit;

	private final Clock clock;

	Calendars(WorkingDays workingDays, ReactiveMongoTemplate mongo, Mpps mpps, AuditLog audit, Clock clock) {
		this.workingDays = workingDays;
		this.mongo = mongo;
		this.mpps = mpps;
		this.audit = audit;
		this.clock = clock;
	}

	Mono<OpeningHours> hours(String mpp) {
		return this.mpps.requireExisting(mpp)
			.then(this.mongo.findById(mpp, MppCalendar.class)
				.map(MppCalendar::openingHours)
				.defaultIfEmpty(OpeningHours.weekdays()));
	}

	Mono<OpeningHours> putHours(String mpp, OpeningHours hours, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		return this.mpps.requireExisting(mpp)
			.then(this.audit.replace(caller, "mpp.hours", "mpps/" + mpp + "/hours",
					this.mongo.findById(mpp, MppCalendar.class), this.mongo.save(new MppCalendar(mpp, hours))))
			.map(change -> change.after().openingHours());
	}

	/** Today at the MPP, in its own time zone (WIB, WITA or WIT). */
	Mono<WorkingDays.Day> today(String mpp) {
		return this.mpps.get(mpp).flatMap(found -> this.workingDays.day(mpp, LocalDate.now(this.clock.withZone(ZoneId.of(found.timeZone())))));
	}

	Mono<HolidayYear> putNational(int year, List<Holiday> holidays, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		return replace(HolidayYear.NATIONAL, year, holidays, caller);
	}

	Mono<HolidayYear> putLocal(String mpp, int year, List<Holiday> holidays, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		return this.mpps.requireExisting(mpp).then(replace(mpp, year, holidays, caller));
	}

	/** A year's holidays of one scope, replaced as a whole: 422 for a date outside the year or listed twice. */
	private Mono<HolidayYear> replace(String scope, int year, List<Holiday> holidays, Caller caller) {
		List<Problems.FieldError> problems = new ArrayList<>();
		Set<LocalDate> seen = new HashSet<>();
		for (int i = 0; i < holidays.size(); i++) {
			LocalDate date = holidays.get(i).date();
			if (date.getYear() != year) {
				problems.add(new Problems.FieldError("holidays[" + i + "].date", "is outside " + year));
			}
			else if (!seen.add(date)) {
				problems.add(new Problems.FieldError("holidays[" + i + "].date", "is listed twice"));
			}
		}
		if (!problems.isEmpty()) {
			return Mono.error(Problems.unprocessable(problems));
		}
		List<Holiday> sorted = holidays.stream().sorted((a, b) -> a.date().compareTo(b.date())).toList();
		String id = HolidayYear.id(scope, year);
		return this.audit
			.replace(caller, "holidays", "holidays/" + id, this.mongo.findById(id, HolidayYear.class),
					this.mongo.save(new HolidayYear(id, scope, year, sorted)))
			.map(AuditLog.Change::after);
	}

}
