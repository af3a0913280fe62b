package id.mppdigital.catalog.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import id.mppdigital.catalog.mpp.Mpps;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;

/**
 * The working-day calendar of an MPP: a day is a working day when the MPP has opening hours on that
 * weekday and it is neither a national holiday nor one of the MPP's own. Dates are the MPP's local
 * dates (its time zone decides what "today" is; see {@link #today}).
 */
@Service
class WorkingDays {

	/** No processing time is longer than ten years; a calendar with no working day must not loop forever. */
	static final int MAX_DAYS_SCANNED = 3 * 3660;

	private final ReactiveMongoTemplate mongo;

	private final Mpps mpps;

	WorkingDays(ReactiveMongoTemplate mongo, Mpps mpps) {
		this.mongo = mongo;
		this.mpps = mpps;
	}

	/** What one day is at one MPP. */
	public record Day(LocalDate date, boolean working, String reason, OpeningHours.Hours hours) {
	}

	/** The result of adding working days. */
	public record Addition(LocalDate from, int workingDays, LocalDate date) {
	}

	Mono<Calendar> calendar(String mppId, int fromYear, int toYear) {
		Mono<OpeningHours> hours = this.mongo.findById(mppId, MppCalendar.class)
			.map(MppCalendar::openingHours)
			.defaultIfEmpty(OpeningHours.weekdays());
		Mono<Map<LocalDate, String>> holidays = Flux.range(fromYear, toYear - fromYear + 1)
			.flatMap(year -> Flux.just(HolidayYear.id(HolidayYear.NATIONAL, year), HolidayYear.id(mppId, year)))
			.flatMap(id -> this.mongo.findById(id, HolidayYear.class))
			.flatMapIterable(HolidayYear::holidays)
			.collectMap(Holiday::date, Holiday::name, HashMap::new);
		return this.mpps.requireExisting(mppId).then(Mono.zip(hours, holidays, Calendar::new));
	}

	/** An MPP's opening hours and the holidays of the years asked for. */
	record Calendar(OpeningHours hours, Map<LocalDate, String> holidays) {

		Day day(LocalDate date) {
			OpeningHours.Hours open = this.hours.on(date.getDayOfWeek());
			String holiday = this.holidays.get(date);
			if (holiday != null) {
				return new Day(date, false, holiday, null);
			}
			if (open == null) {
				boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
				return new Day(date, false, weekend ? "weekend" : "closed on " + date.getDayOfWeek(), null);
			}
			return new Day(date, true, null, open);
		}

	}

	public Mono<Day> day(String mppId, LocalDate date) {
		return calendar(mppId, date.getYear(), date.getYear()).map(calendar -> calendar.day(date));
	}

	/**
	 * The day {@code workingDays} working days after {@code from} (which does not count): an
	 * application received on {@code from} with a processing time of N working days is due then.
	 * With 0, {@code from} itself when it is a working day, else the next working day.
	 */
	public Mono<LocalDate> add(String mppId, LocalDate from, int workingDays) {
		// holidays of the years the answer can fall in: N working days fit in about N/4 calendar years
		int lastYear = from.getYear() + 1 + workingDays / 200;
		return calendar(mppId, from.getYear(), lastYear).flatMap(calendar -> {
			Optional<LocalDate> due = scan(calendar, from, workingDays);
			return due.map(Mono::just)
				.orElseGet(() -> Mono.error(Problems.unprocessable("workingDays",
						"no such working day within " + MAX_DAYS_SCANNED + " days: the MPP is never open")));
		});
	}

	static Optional<LocalDate> scan(Calendar calendar, LocalDate from, int workingDays) {
		LocalDate date = from;
		int counted = 0;
		if (workingDays == 0) {
			for (int i = 0; i < MAX_DAYS_SCANNED; i++, date = date.plusDays(1)) {
				if (calendar.day(date).working()) {
					return Optional.of(date);
				}
			}
			return Optional.empty();
		}
		for (int i = 0; i < MAX_DAYS_SCANNED; i++) {
			date = date.plusDays(1);
			if (calendar.day(date).working() && ++counted == workingDays) {
				return Optional.of(date);
			}
		}
		return Optional.empty();
	}

	/** Both lists for a year, national first, by date. */
	public Mono<List<HolidayView>> holidays(String mppId, int year) {
		Flux<HolidayView> national = this.mongo.findById(HolidayYear.id(HolidayYear.NATIONAL, year), HolidayYear.class)
			.flatMapIterable(HolidayYear::holidays)
			.map(holiday -> new HolidayView(holiday.date(), holiday.name(), HolidayYear.NATIONAL));
		Flux<HolidayView> local = mppId == null ? Flux.empty()
				: this.mongo.findById(HolidayYear.id(mppId, year), HolidayYear.class)
					.flatMapIterable(HolidayYear::holidays)
					.map(holiday -> new HolidayView(holiday.date(), holiday.name(), mppId));
		return Flux.concat(national, local).sort((a, b) -> a.date().compareTo(b.date())).collectList();
	}

	public record HolidayView(LocalDate date, String name, String scope) {
	}

}
