package id.mppdigital.catalog.calendar;

import java.time.LocalDate;
import java.util.List;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;

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
 * administrators the national holidays ({@link Calendars}, {@link WorkingDays}).
 */
@RestController
class CalendarController {

	static final int FIRST_YEAR = 1900;

	static final int LAST_YEAR = 2200;

	private final Calendars calendars;

	private final WorkingDays workingDays;

	CalendarController(Calendars calendars, WorkingDays workingDays) {
		this.calendars = calendars;
		this.workingDays = workingDays;
	}

	@Operation(summary = "Read an MPP's opening hours")
	@GetMapping("/mpps/{id}/hours")
	Mono<OpeningHours> hours(@PathVariable String id) {
		return this.calendars.hours(id);
	}

	@Operation(summary = "Set an MPP's opening hours")
	@PutMapping("/mpps/{id}/hours")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<OpeningHours> putHours(@PathVariable String id, @Valid @RequestBody OpeningHours hours, Caller caller) {
		return this.calendars.putHours(id, hours, caller);
	}

	/** Today at the MPP, in its own time zone (WIB, WITA or WIT). */
	@Operation(summary = "Today at an MPP (in its time zone) and whether it is a working day")
	@GetMapping("/mpps/{id}/today")
	Mono<WorkingDays.Day> today(@PathVariable String id) {
		return this.calendars.today(id);
	}

	@Operation(summary = "Whether a day is a working day at an MPP, and why not")
	@GetMapping("/mpps/{id}/days/{date}")
	Mono<WorkingDays.Day> day(@PathVariable String id, @PathVariable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
		requireCalendarYear("date", date);
		return this.workingDays.day(id, date);
	}

	@Operation(summary = "The N-th working day after a date at an MPP (due dates)")
	@GetMapping("/mpps/{id}/working-days")
	Mono<WorkingDays.Addition> add(@PathVariable String id,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam("add") @Min(0) @Max(3650) int workingDays) {
		requireCalendarYear("from", from);
		return this.workingDays.add(id, from, workingDays).map(date -> new WorkingDays.Addition(from, workingDays, date));
	}

	/** The years the calendars know (holidays are kept for 2000-2100): year -1 is nobody's working day. */
	private static void requireCalendarYear(String field, LocalDate date) {
		if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
			throw Problems.invalid(field, "must be a date in the years " + FIRST_YEAR + "-" + LAST_YEAR);
		}
	}

	@Operation(summary = "List a year's holidays: national, and an MPP's own")
	@GetMapping("/holidays/{year}")
	Mono<List<WorkingDays.HolidayView>> holidays(@PathVariable @Min(2000) @Max(2100) int year,
			@RequestParam(required = false) String mpp) {
		return this.workingDays.holidays(mpp, year);
	}

	record HolidayList(@NotNull @Size(max = 100) List<@Valid @NotNull Holiday> holidays) {
	}

	@Operation(summary = "Replace a year's national holidays")
	@PutMapping("/holidays/{year}/national")
	@Allowed({ Caller.PLATFORM_ADMIN })
	Mono<HolidayYear> putNational(@PathVariable @Min(2000) @Max(2100) int year, @Valid @RequestBody HolidayList list,
			Caller caller) {
		return this.calendars.putNational(year, list.holidays(), caller);
	}

	@Operation(summary = "Replace a year's holidays of an MPP")
	@PutMapping("/mpps/{id}/holidays/{year}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<HolidayYear> putLocal(@PathVariable String id, @PathVariable @Min(2000) @Max(2100) int year,
			@Valid @RequestBody HolidayList list, Caller caller) {
		return this.calendars.putLocal(id, year, list.holidays(), caller);
	}

}
