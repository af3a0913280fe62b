package id.mppdigital.queue.site;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import id.mppdigital.defaults.MppTime;
import id.mppdigital.problems.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Each MPP as the queues need it, from the catalog: asked over HTTP through the registry behind a
 * circuit breaker, stored in {@code sites} and kept in memory. A copy older than the refresh interval
 * (five minutes) is still used while a fresh one is fetched in the background, so the catalog is off
 * the path of every ticket; while the catalog is down the stored copy serves, and only an MPP never
 * seen before is a {@code 503}. An MPP the catalog does not know is a {@code 404}.
 */
@Component
public class Sites {

	private static final Logger log = LoggerFactory.getLogger(Sites.class);

	/** The catalog's MPP, hours, holidays, counters and service list: only the fields read here. */
	record MppAnswer(String id, String name, String timeZone) {
	}

	record HoursAnswer(LocalTime opens, LocalTime closes) {
	}

	record HolidayAnswer(LocalDate date) {
	}

	record CounterAnswer(int number, String name, String agencyId, List<String> standardIds) {
	}

	record ServiceAnswer(String standardId, String agencyId, String name, String queuePrefix, Integer dailyQuota,
			List<DayOfWeek> days, BookingAnswer booking) {
	}

	record BookingAnswer(int slotMinutes, int slotCapacity, Integer onlineQuota) {
	}

	record ServicePage(List<ServiceAnswer> items, int page, int size, int total) {
	}

	private static final int PAGE = 100;

	private final WebClient catalog;

	private final ReactiveCircuitBreaker breaker;

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final Duration refresh;

	private final Map<String, Site> known = new ConcurrentHashMap<>();

	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	Sites(WebClient.Builder builder, ReactorLoadBalancerExchangeFilterFunction loadBalancer,
			ReactiveCircuitBreakerFactory<?, ?> breakers, ReactiveMongoTemplate mongo, Clock clock,
			@Value("${mpp.queue.catalog-url:http://service-catalog}") String catalogUrl,
			@Value("${mpp.queue.site-refresh:5m}") Duration refresh) {
		this.catalog = builder.baseUrl(catalogUrl).filter(loadBalancer).build();
		this.breaker = breakers.create("service-catalog");
		this.mongo = mongo;
		this.clock = clock;
		this.refresh = refresh;
	}

	/** The MPPs this instance has been asked for since it started. */
	public java.util.Collection<Site> known() {
		return java.util.List.copyOf(this.known.values());
	}

	/** The MPP: from memory, else the store, else the catalog; a stale copy is refreshed behind the answer. */
	public Mono<Site> site(String mppId) {
		Site held = this.known.get(mppId);
		if (held != null) {
			refreshIfStale(held);
			return Mono.just(held);
		}
		// the first requests for an MPP come together (a kiosk's opening rush): one read, one fetch, for all
		return this.first.computeIfAbsent(mppId, id -> this.mongo.findById(id, Site.class)
			.doOnNext(stored -> {
				this.known.put(id, stored);
				refreshIfStale(stored);
			})
			.switchIfEmpty(Mono.defer(() -> fetch(id).onErrorMap(failure -> !(failure instanceof ErrorResponseException),
					failure -> unavailable())))
			.doFinally(signal -> this.first.remove(id))
			.cache());
	}

	private final Map<String, Mono<Site>> first = new ConcurrentHashMap<>();

	private void refreshIfStale(Site site) {
		if (site.fetchedAt().plus(this.refresh).isAfter(this.clock.instant()) || !this.refreshing.add(site.mppId())) {
			return;
		}
		fetch(site.mppId())
			.doFinally(signal -> this.refreshing.remove(site.mppId()))
			.subscribe(fresh -> log.debug("MPP {} refreshed from the catalog", fresh.mppId()),
					failure -> log.info("MPP {} not refreshed, the stored copy of {} serves: {}", site.mppId(),
							site.fetchedAt(), failure.toString()));
	}

	/** Asks the catalog, stores the answer and holds it; 404 for an MPP it does not know, 503 when it cannot answer. */
	Mono<Site> fetch(String mppId) {
		Instant now = this.clock.instant();
		int year = MppTime.nationalToday(this.clock).getYear();
		Mono<Optional<Site>> asked = Mono.zip(get("/mpps/{id}", MppAnswer.class, mppId),
				this.catalog.get().uri("/mpps/{id}/hours", mppId).retrieve()
					.bodyToMono(new org.springframework.core.ParameterizedTypeReference<Map<String, HoursAnswer>>() {
					}),
				holidays(mppId, year).concatWith(holidays(mppId, year + 1)).map(HolidayAnswer::date).collectList(),
				this.catalog.get().uri("/mpps/{id}/counters", mppId).retrieve().bodyToFlux(CounterAnswer.class).collectList(),
				services(mppId, 0).collectList())
			.map(answers -> Optional.of(site(answers.getT1(), answers.getT2(), answers.getT3(), answers.getT4(),
					answers.getT5(), now)))
			.onErrorResume(WebClientResponseException.NotFound.class, missing -> Mono.just(Optional.empty()));
		return this.breaker.run(asked, failure -> Mono.error(unavailable()))
			.flatMap(found -> found.map(this.mongo::save)
				.orElseGet(() -> Mono.error(Problems.notFound("There is no MPP '" + mppId + "' in the catalog."))))
			.doOnNext(saved -> this.known.put(mppId, saved));
	}

	private <T> Mono<T> get(String uri, Class<T> type, Object... variables) {
		return this.catalog.get().uri(uri, variables).retrieve().bodyToMono(type);
	}

	private Flux<HolidayAnswer> holidays(String mppId, int year) {
		return this.catalog.get().uri("/holidays/{year}?mpp={id}", year, mppId).retrieve().bodyToFlux(HolidayAnswer.class);
	}

	private Flux<ServiceAnswer> services(String mppId, int page) {
		return get("/mpps/{id}/services?page={page}&size={size}", ServicePage.class, mppId, page, PAGE)
			.flatMapMany(answer -> {
				Flux<ServiceAnswer> these = Flux.fromIterable(answer.items());
				return (page + 1) * PAGE < answer.total() ? these.concatWith(services(mppId, page + 1)) : these;
			});
	}

	private static Site site(MppAnswer mpp, Map<String, HoursAnswer> hours, List<LocalDate> holidays,
			List<CounterAnswer> counters, List<ServiceAnswer> services, Instant now) {
		Map<DayOfWeek, Site.Hours> open = new EnumMap<>(DayOfWeek.class);
		hours.forEach((day, answer) -> {
			if (answer != null) {
				open.put(DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT)), new Site.Hours(answer.opens(), answer.closes()));
			}
		});
		List<Site.Offering> offerings = new ArrayList<>();
		for (ServiceAnswer service : services) {
			offerings.add(new Site.Offering(service.standardId(), service.agencyId(), service.name(),
					service.queuePrefix() == null ? "A" : service.queuePrefix(), service.dailyQuota(),
					service.days() == null ? List.of() : service.days(),
					// a booking the queues cannot run (no slot length or capacity) is no booking
					(service.booking() == null || service.booking().slotMinutes() < 5 || service.booking().slotCapacity() < 1)
							? null : new Site.Booking(service.booking().slotMinutes(), service.booking().slotCapacity(),
									service.booking().onlineQuota())));
		}
		return new Site(mpp.id(), mpp.name(), mpp.timeZone(), open, holidays.stream().distinct().sorted().toList(),
				counters.stream().map(counter -> new Site.Counter(counter.number(), counter.name(), counter.agencyId(),
						counter.standardIds() == null ? List.of() : counter.standardIds())).toList(),
				offerings, now);
	}

	private static ErrorResponseException unavailable() {
		ErrorResponseException problem = Problems
			.unavailable("The catalog cannot describe this MPP right now and it has not been seen before; try again shortly.");
		problem.getHeaders().set("Retry-After", "10");
		return problem;
	}

}
