package id.mppdigital.catalog.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import id.mppdigital.catalog.agency.Agency;
import id.mppdigital.catalog.calendar.HolidayYear;
import id.mppdigital.catalog.counter.Counter;
import id.mppdigital.catalog.offering.Offering;
import id.mppdigital.catalog.search.CatalogSearch;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.standard.StandardVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.UncategorizedMongoDbException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Loads the DEMONSTRATION catalog for the local stack ({@link DemoData}, {@code demo/standards.json}):
 * 16 MPPs, 12 agencies, national holidays, 60 service standards published as version 1 (their
 * events go out through the outbox like any other), offered at Kota Probolinggo (all of them) and at
 * the other MPPs (about two in three). Every record is inserted only when missing, so restarts
 * neither duplicate nor overwrite what administrators changed.
 */
@Component
@Profile("local")
public class DemoCatalog implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoCatalog.class);

	static final LocalDate VALID_FROM = LocalDate.of(2026, 1, 1);

	private final ReactiveMongoTemplate mongo;

	private final JsonMapper json;

	private final CatalogSearch search;

	DemoCatalog(ReactiveMongoTemplate mongo, JsonMapper json, CatalogSearch search) {
		this.mongo = mongo;
		this.json = json;
		this.search = search;
	}

	record DemoStandards(String note, List<Entry> standards) {

		record Entry(String id, StandardContent standard) {
		}

	}

	@Override
	public void run(ApplicationArguments args) {
		List<DemoStandards.Entry> standards = standards();
		Flux<Object> records = Flux.concat(Flux.fromIterable(DemoData.MPPS), Flux.fromIterable(DemoData.AGENCIES),
				Flux.fromIterable(DemoData.NATIONAL_HOLIDAYS)
					.map(holidays -> new HolidayYear(HolidayYear.id(HolidayYear.NATIONAL, holidays.get(0).date().getYear()),
							HolidayYear.NATIONAL, holidays.get(0).date().getYear(), holidays)),
				Flux.fromIterable(standards)
					.map(entry -> new StandardVersion(StandardVersion.id(entry.id(), 1), entry.id(), 1,
							StandardVersion.Status.PUBLISHED, VALID_FROM, Instant.parse("2025-12-15T00:00:00Z"), "demo", false,
							entry.standard())),
				Flux.fromIterable(DemoData.MPPS).flatMapIterable(mpp -> offerings(mpp.id(), standards)),
				Flux.fromIterable(DemoData.MPPS).flatMapIterable(mpp -> counters(mpp.id(), standards)));
		Long added = records.concatMap(this::insertIfMissing).count().block();
		this.search.refresh().block();
		log.info("Demo data (DEMONSTRATION ONLY): {} records added; {} service standards current", added,
				this.search.current().size());
	}

	/** What the MPP offers, each at its agency's counter. */
	static List<Offering> offerings(String mppId, List<DemoStandards.Entry> standards) {
		List<Offering> offerings = new ArrayList<>();
		for (Counter counter : counters(mppId, standards)) {
			for (String standardId : counter.standardIds()) {
				// every service may be booked in half-hour slots of four; the first KTP-el is limited to
				// 80 a day, half of them online, to show the shared quota
				boolean limited = standardId.equals("ktp-el-baru");
				offerings.add(new Offering(Offering.id(mppId, standardId), mppId, standardId, List.of(),
						limited ? 80 : null, null, new Offering.Booking(30, 4, limited ? 40 : null)));
			}
		}
		return offerings;
	}

	/** One counter per agency with services at the MPP, numbered in agency order. */
	static List<Counter> counters(String mppId, List<DemoStandards.Entry> standards) {
		List<Counter> counters = new ArrayList<>();
		for (Agency agency : DemoData.AGENCIES) {
			List<String> served = standards.stream()
				.filter(entry -> entry.standard().agencyId().equals(agency.id()) && offered(mppId, entry.id()))
				.map(DemoStandards.Entry::id)
				.toList();
			if (!served.isEmpty()) {
				int number = counters.size() + 1;
				counters.add(new Counter(Counter.id(mppId, number), mppId, number, "Loket " + number + " — " + agency.name(),
						agency.id(), served));
			}
		}
		return counters;
	}

	static boolean offered(String mppId, String standardId) {
		return mppId.equals("kota-probolinggo") || Math.floorMod((mppId + standardId).hashCode(), 3) != 0;
	}

	private Mono<Object> insertIfMissing(Object record) {
		// the embedded store, busy at a start, once answered an insert with "Key ... already exists.
		// Concurrency issue?" instead of a duplicate key (measured 2026-12-02): the insert is tried
		// again, and then either goes in or meets the record as a duplicate
		return this.mongo.insert(record)
			.retryWhen(Retry.fixedDelay(3, Duration.ofMillis(200))
				.filter(failure -> failure instanceof UncategorizedMongoDbException
						&& String.valueOf(failure.getMessage()).contains("already exists")))
			.onErrorResume(DuplicateKeyException.class, ex -> Mono.empty());
	}

	private List<DemoStandards.Entry> standards() {
		try (InputStream in = new ClassPathResource("demo/standards.json").getInputStream()) {
			return this.json.readValue(in, DemoStandards.class).standards();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
