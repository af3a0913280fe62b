package id.mppdigital.queue.tickets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.defaults.store.RevisionIndex;
import id.mppdigital.problems.Problems;
import id.mppdigital.queue.site.Site;
import id.mppdigital.queue.site.Sites;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Booking a slot, cancelling it and checking in. A booking takes, each by one atomic count and each
 * given back if a later one is refused: a place under the holder's daily limit for the queue (shared
 * with their tickets), a place in the slot, an online place and a place of the daily quota (shared with
 * walk-ins, {@link Slots}), so that concurrent bookings never overfill a slot or a quota. Checking
 * in opens {@code mpp.queue.check-in-early} before the slot; up to {@code mpp.queue.check-in-late}
 * after its start the ticket is a booking called first once its slot has begun, later it joins the
 * walk-in line from the time of arrival.
 */
@Component
class Bookings {

	private final ReactiveMongoTemplate mongo;

	private final Sites sites;

	private final Counts counts;

	private final Slots slots;

	private final Tickets tickets;

	private final Clock clock;

	private final int maxActivePerCitizen;

	private final Duration early;

	private final Duration late;

	private final int daysAhead;

	Bookings(ReactiveMongoTemplate mongo, Sites sites, Counts counts, Slots slots, Tickets tickets, Clock clock,
			@Value("${mpp.queue.max-active-per-citizen:2}") int maxActivePerCitizen,
			@Value("${mpp.queue.check-in-early:30m}") Duration early,
			@Value("${mpp.queue.check-in-late:15m}") Duration late,
			@Value("${mpp.queue.booking-days-ahead:30}") int daysAhead) {
		this.mongo = mongo;
		this.sites = sites;
		this.counts = counts;
		this.slots = slots;
		this.tickets = tickets;
		this.clock = clock;
		this.maxActivePerCitizen = maxActivePerCitizen;
		this.early = early;
		this.late = late;
		this.daysAhead = daysAhead;
		RevisionIndex.ensure(mongo, Booking.class, "revision");
		mongo.indexOps(Booking.class).createIndex(new Index("holder", Sort.Direction.ASC)).subscribe();
	}

	/** A day's slots of a service at an MPP with what is left of each; 422 for a service not booked there. */
	Mono<Slots.Day> slots(String mppId, String standardId, LocalDate day) {
		return this.sites.site(mppId).flatMap(site -> this.slots.day(site, bookable(site, standardId), day));
	}

	private static Site.Offering bookable(Site site, String standardId) {
		Site.Offering offering = site.offering(standardId)
			.orElseThrow(() -> Problems.unprocessable("standardId", "is not offered at this MPP"));
		if (offering.booking() == null) {
			throw Problems.unprocessable("standardId", "is not booked online at this MPP: take a ticket at the kiosk");
		}
		return offering;
	}

	/** Books the slot that starts at {@code start} (the MPP's local time) for a citizen. */
	Mono<Booking> book(String mppId, String standardId, LocalDateTime start, String applicationId, String holder) {
		Instant now = this.clock.instant();
		return this.sites.site(mppId).flatMap(site -> {
			Site.Offering offering = bookable(site, standardId);
			LocalDate day = start.toLocalDate();
			LocalTime time = start.toLocalTime();
			Instant startsAt = site.at(day, time);
			if (!startsAt.isAfter(now)) {
				throw Problems.unprocessable("start", "is in the past");
			}
			if (day.isAfter(site.dayAt(now).plusDays(this.daysAhead))) {
				throw Problems.unprocessable("start", "is more than " + this.daysAhead + " days ahead");
			}
			if (site.hoursOn(day).isEmpty()) {
				throw Problems.unprocessable("start", site.holidays().contains(day) ? "is on a holiday: the MPP is closed on " + day
						: "is on a day the MPP is closed (" + day.getDayOfWeek() + ")");
			}
			List<LocalTime> times = site.slots(offering, day);
			if (times.isEmpty()) {
				throw Problems.unprocessable("start", "the service is not offered on " + day.getDayOfWeek());
			}
			if (!times.contains(time)) {
				throw Problems.unprocessable("start", "is not the start of a slot: slots start from " + times.get(0)
						+ " every " + offering.booking().slotMinutes() + " minutes until " + times.get(times.size() - 1));
			}
			List<String> taken = new ArrayList<>();
			Instant endsAt = site.at(day, time.plusMinutes(offering.booking().slotMinutes()));
			return this.counts.take(Tickets.holderKey(holder, mppId, day, offering.queuePrefix()), this.maxActivePerCitizen, taken,
					() -> Problems.tooMany("You already hold " + this.maxActivePerCitizen
							+ " active tickets or bookings in this queue on " + day + ".", Duration.ofMinutes(30)))
				.then(this.counts.take(Slots.slotKey(mppId, day, standardId, time), offering.booking().slotCapacity(), taken,
						() -> Problems.conflict("The slot at " + time + " on " + day + " is full; choose another.")))
				.then(this.counts.take(Slots.onlineKey(mppId, day, standardId),
						offering.booking().onlineQuota() == null ? Long.MAX_VALUE : offering.booking().onlineQuota(), taken,
						() -> Problems.conflict("All " + offering.booking().onlineQuota() + " online places on " + day
								+ " are booked; choose another day.")))
				.then(offering.dailyQuota() == null ? Mono.empty()
						: this.counts.take(Tickets.quotaKey(mppId, day, standardId), offering.dailyQuota(), taken,
								() -> Problems.conflict("The service has no places left on " + day + " at this MPP.")))
				.then(Mono.defer(() -> {
					String id = Tickets.newId();
					return this.mongo.insert(new Booking(id, mppId, day, standardId, offering.queuePrefix(), time, startsAt,
							endsAt, holder, applicationId, Booking.State.BOOKED, Tickets.newId(), List.copyOf(taken), now, null,
							false, id + "@1"));
				}))
				.onErrorResume(failure -> Mono.when(taken.stream().map(this.counts::release).toList())
					.then(Mono.error(failure)));
		});
	}

	/** The holder's booking; 404 for anyone else's, as for one that does not exist. */
	Mono<Booking> find(String id, String holder) {
		return this.mongo.findById(id, Booking.class)
			.filter(booking -> booking.holder().equals(holder))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("You have no booking '" + id + "'.")));
	}

	/** The holder's bookings, the latest slot first. */
	Flux<Booking> of(String holder) {
		return this.mongo.find(Query.query(Criteria.where("holder").is(holder)), Booking.class)
			.sort(java.util.Comparator.comparing(Booking::startsAt).reversed())
			.take(100);
	}

	/** Gives the slot up, and every place it held. */
	Mono<Booking> cancel(String id, String holder) {
		return find(id, holder).flatMap(booking -> {
			if (booking.state() != Booking.State.BOOKED) {
				return Mono.error(Problems.conflict(booking.state() == Booking.State.CANCELLED
						? "The booking is already cancelled." : "The booking is checked in: cancel its ticket instead."));
			}
			return write(booking, new Update().set("state", Booking.State.CANCELLED).set("endedAt", this.clock.instant()))
				.flatMap(cancelled -> Mono.when(booking.taken().stream().map(this.counts::release).toList())
					.thenReturn(cancelled));
		});
	}

	/**
	 * The holder arrives: the booking becomes a ticket (the same one, however often this is asked).
	 * 409 too early (the problem says from when) or for another day; never refused for being late.
	 */
	Mono<Ticket> checkIn(String id) {
		return this.mongo.findById(id, Booking.class)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("There is no booking '" + id + "'.")))
			.flatMap(booking -> this.sites.site(booking.mppId()).flatMap(site -> checkIn(site, booking, true)));
	}

	/**
	 * The booking is marked checked in first, then its ticket issued with the id the booking chose:
	 * after a crash between the two, checking in again issues that ticket, and only it.
	 */
	private Mono<Ticket> checkIn(Site site, Booking booking, boolean again) {
		Instant now = this.clock.instant();
		if (booking.state() == Booking.State.CANCELLED) {
			return Mono.error(Problems.conflict("The booking was cancelled."));
		}
		if (booking.state() == Booking.State.CHECKED_IN) {
			return ticketOf(site, booking);
		}
		LocalDate today = site.dayAt(now);
		if (!booking.day().equals(today)) {
			return Mono.error(Problems.conflict("The booking is for " + booking.day() + " at " + booking.slot()
					+ (booking.day().isAfter(today) ? "." : ": that day is over; take a ticket at the kiosk.")));
		}
		Instant opens = booking.startsAt().minus(this.early);
		if (now.isBefore(opens)) {
			return Mono.error(Problems.conflict("Too early: check in from " + LocalTime.ofInstant(opens, site.zone())
					+ " for the slot at " + booking.slot() + "."));
		}
		if (!site.openAt(now)) {
			return Mono.error(Problems.unprocessable("mppId", "is closed now"));
		}
		boolean tooLate = now.isAfter(booking.startsAt().plus(this.late));
		return write(booking, new Update().set("state", Booking.State.CHECKED_IN).set("endedAt", now).set("late", tooLate))
			.flatMap(checkedIn -> ticketOf(site, checkedIn))
			// checked in (or cancelled) by someone else at the same moment: answer as it now is
			.onErrorResume(Changed.class, raced -> again
					? this.mongo.findById(booking.id(), Booking.class).flatMap(now2 -> checkIn(site, now2, false))
					: Mono.error(raced));
	}

	private Mono<Ticket> ticketOf(Site site, Booking booking) {
		Site.Offering offering = site.offering(booking.standardId()).orElse(null);
		if (offering == null) {
			return this.tickets.find(booking.ticketId())
				.onErrorMap(gone -> Problems.conflict("The MPP no longer offers " + booking.standardId() + "."));
		}
		return this.tickets.issueBooked(booking.ticketId(), site, offering, booking.day(), booking.holder(),
				booking.late() ? null : booking.startsAt(),
				booking.late() ? "WALK_IN (booked for " + booking.slot() + ", came late)" : "BOOKED");
	}

	/** 409: the booking was changed by someone else between reading and writing it. */
	static final class Changed extends org.springframework.web.ErrorResponseException {

		Changed() {
			super(org.springframework.http.HttpStatus.CONFLICT,
					Problems.conflict("The booking changed meanwhile; read it again.").getBody(), null);
		}

	}

	private Mono<Booking> write(Booking booking, Update update) {
		update.set("revision", booking.id() + "@" + (booking.writes() + 1));
		return this.mongo.findAndModify(Query.query(Criteria.where("revision").is(booking.revision())), update,
				FindAndModifyOptions.options().returnNew(true), Booking.class)
			.switchIfEmpty(Mono.error(Changed::new));
	}

}
