package id.mppdigital.catalog.calendar;

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
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Opening hours, holidays and working-day arithmetic. Public reads (apps show hours; application-
 * service computes due dates); MPP administrators set their MPP's hours and local holidays, platform
 * administrators the national holidays.
 */
@RestController
class CalendarController {

	private final WorkingDays workingDays;

	private final ReactiveMongoTemplate mongo;

	private final Mpps mpps;

	private final AuditLog audit;

	CalendarController(WorkingDays workingDays, ReactiveMongoTemplate mongo, Mpps mpps, AuditLog audit) {
		this.workingDays = workingDays;
		this.mongo = mongo;
		this.mpps = mpps;
		this.audit = audit;
	}

	@GetMapping("/mpps/{id}/hours")
	Mono<OpeningHours> hours(@PathVariable String id) {
		return this.mpps.requireExisting(id)
			.then(this.mongo.findById(id, MppCalendar.class)
				.map(MppCalendar::openingHours)
				.defaultIfEmpty(OpeningHours.weekdays()));
	}

	@PutMapping("/mpps/{id}/hours")
	Mono<OpeningHours> putHours(@PathVariable String id, @Valid @RequestBody OpeningHours hours, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(id);
		return this.mpps.requireExisting(id)
			.then(this.audit.replace(caller, "mpp.hours", "mpps/" + id + "/hours",
					this.mongo.findById(id, MppCalendar.class), this.mongo.save(new MppCalendar(id, hours))))
			.map(change -> change.after().openingHours());
	}

	/** Today at the MPP, in its own time zone (WIB, WITA or WIT). */
	@GetMapping("/mpps/{id}/today")
	Mono<WorkingDays.Day> today(@PathVariable String id) {
		return this.mpps.find(id)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No MPP with id " + id)))
			.flatMap(mpp -> this.workingDays.day(id, LocalDate.now(ZoneId.of(mpp.timeZone()))));
	}

	@GetMapping("/mpps/{id}/days/{date}")
	Mono<WorkingDays.Day> day(@PathVariable String id, @PathVariable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
		return this.workingDays.day(id, date);
	}

	@GetMapping("/mpps/{id}/working-days")
	Mono<WorkingDays.Addition> add(@PathVariable String id,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam("add") @Min(0) @Max(3650) int workingDays) {
		return this.workingDays.add(id, from, workingDays).map(date -> new WorkingDays.Addition(from, workingDays, date));
	}

	@GetMapping("/holidays/{year}")
	Mono<List<WorkingDays.HolidayView>> holidays(@PathVariable @Min(2000) @Max(2100) int year,
			@RequestParam(required = false) String mpp) {
		return this.workingDays.holidays(mpp, year);
	}

	record HolidayList(@NotNull @Size(max = 100) List<@Valid @NotNull Holiday> holidays) {
	}

	@PutMapping("/holidays/{year}/national")
	Mono<HolidayYear> putNational(@PathVariable @Min(2000) @Max(2100) int year, @Valid @RequestBody HolidayList list,
			Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		return replace(HolidayYear.NATIONAL, year, list.holidays(), caller);
	}

	@PutMapping("/mpps/{id}/holidays/{year}")
	Mono<HolidayYear> putLocal(@PathVariable String id, @PathVariable @Min(2000) @Max(2100) int year,
			@Valid @RequestBody HolidayList list, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(id);
		return this.mpps.requireExisting(id).then(replace(id, year, list.holidays(), caller));
	}

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
