package id.mppdigital.adapter.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.adapter.messagelog.MessageLog;
import id.mppdigital.defaults.events.DeadLetters;
import id.mppdigital.defaults.jobs.SerialJob;
import id.mppdigital.defaults.store.RevisionIndex;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Hands each application to its agency, exactly once in effect, through any outage. An application
 * is first recorded here ({@link #accept}: once per application, however often Kafka delivers it),
 * then sent by its agency's lane: oldest first, up to the agency's concurrency at once (each one
 * done makes room for the next), through the agency's circuit breaker. A failed attempt is tried again with exponential back-off and jitter, under the same
 * idempotency key; a refused one waits for an operator. Each agency has its own lane, breaker and
 * schedule: a slow or dead agency never delays another.
 */
@Component
public class Deliveries {

	private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

	/** A batch file's name: {@code <AGENCY>_<UTC time>_<random>.csv}, one name per batch. */
	private static final DateTimeFormatter BATCH_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final ReactiveMongoTemplate mongo;

	private final AgencyProperties properties;

	private final MessageLog messageLog;

	private final KafkaTemplate<String, String> kafka;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Map<String, Lane> lanes = new LinkedHashMap<>();

	/** How often every lane searches the store even when it has caught up. */
	private final Duration rescan;

	private volatile Instant lastSearch = Instant.EPOCH;

	/**
	 * The agency of applications delivered lately (a delivery's agency never changes): each of an
	 * agency's reports asks whose application it is, mostly within minutes of the delivery.
	 */
	private final Cache<String, String> agencies = Caffeine.newBuilder().maximumSize(100_000).build();

	/** Due deliveries read ahead per query, at least. */
	static final int READ_AHEAD = 256;

	/**
	 * At most: a lane that keeps finding a full read-ahead doubles it up to this, so that a large
	 * backlog costs fewer searches (each one reads the agency's whole backlog in the embedded store);
	 * the queued deliveries hold their forms, a few KB each.
	 */
	static final int MAX_READ_AHEAD = 4096;

	/**
	 * One agency's way out: its system's connector, its breaker, its own never-overlapping job, and what
	 * it knows without asking the store — the deliveries queued to go, whether the store holds due work
	 * beyond them ({@code caughtUp} false), the deliveries accepted while it searches the store (guarded
	 * by the lane), when retries come due, until when no status poll is due, and how many due
	 * deliveries its next search reads ahead.
	 */
	private record Lane(String agencyId, AgencyProperties.Agency agency, Connector connector, CircuitBreaker breaker,
			Set<String> inFlight, Queue<Delivery> queued, SerialJob job, AtomicReference<Instant> lastBatch,
			AtomicBoolean caughtUp, AtomicBoolean searching, List<Delivery> acceptedWhileSearching,
			ConcurrentSkipListMap<Instant, String> retries,
			AtomicReference<Instant> pollsQuietUntil, AtomicInteger readAhead) {

		int concurrency() {
			return this.agency.concurrency();
		}

	}

	Deliveries(ReactiveMongoTemplate mongo, AgencyProperties properties, WebClient.Builder web, JsonMapper json,
			KafkaTemplate<String, String> kafka, MessageLog messageLog, MeterRegistry meters, Clock clock,
			@Value("${mpp.adapter.rescan-interval:30s}") Duration rescan) {
		this.mongo = mongo;
		this.rescan = rescan;
		this.messageLog = messageLog;
		this.kafka = kafka;
		this.properties = properties;
		this.meters = meters;
		this.clock = clock;
		RevisionIndex.ensure(mongo, Delivery.class, "revision");
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofSeconds(10))
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
		properties.agencies().forEach((agencyId, agency) -> {
			if (agency.guarantee() == AgencyProperties.Guarantee.NONE) {
				log.warn("{} takes no idempotency key and offers no look-up: an application whose answer was lost "
						+ "is sent again and may reach it twice (it must recognise the application id)", agencyId);
			}
			Connector connector = switch (agency.kind()) {
				case REST -> new RestConnector(web.clone(), agency, json);
				case SOAP -> new SoapConnector(agency, json);
				case FILE -> new FileConnector(agency, json);
				case KAFKA -> new KafkaConnector(agencyId, agency, kafka, clock);
			};
			Lane[] lane = new Lane[1];
			lane[0] = new Lane(agencyId, agency, connector, breakers.circuitBreaker("agency-" + agencyId),
					ConcurrentHashMap.newKeySet(), new ConcurrentLinkedQueue<>(),
					new SerialJob("delivery to " + agencyId, () -> drain(lane[0])),
					new AtomicReference<>(Instant.EPOCH), new AtomicBoolean(), new AtomicBoolean(), new ArrayList<>(),
					new ConcurrentSkipListMap<>(), new AtomicReference<>(Instant.EPOCH), new AtomicInteger(READ_AHEAD));
			this.lanes.put(agencyId, lane[0]);
		});
	}

	/** Whether this instance serves the agency. */
	public boolean serves(String agencyId) {
		return this.lanes.containsKey(agencyId);
	}

	/**
	 * Records an application for delivery (once: a redelivered event finds it recorded) and starts
	 * its agency's lane.
	 */
	public Mono<Void> accept(String applicationId, String agencyId, String eventId, Instant submittedAt,
			String payload) {
		Delivery delivery = new Delivery(applicationId, agencyId, eventId, submittedAt, payload, Delivery.State.PENDING,
				0, this.clock.instant(), null, null, null, false, 0, null, null, Delivery.revisionOf(applicationId, 0));
		return this.mongo.insert(delivery)
			.then(Mono.fromRunnable(() -> accepted(delivery)))
			.onErrorResume(DuplicateKeyException.class, again -> Mono.empty())
			.then();
	}

	/**
	 * A new delivery goes straight to its lane's queue when the lane has nothing else due in the store
	 * (no search for it); otherwise the lane's next search of the store finds it, in its place.
	 */
	private void accepted(Delivery delivery) {
		Lane lane = this.lanes.get(delivery.agencyId());
		if (lane == null) {
			return;
		}
		synchronized (lane) {
			if (lane.caughtUp().get()) {
				lane.queued().add(delivery);
			}
			else if (lane.searching().get()) {
				lane.acceptedWhileSearching().add(delivery);
			}
		}
		lane.job().trigger();
	}

	/** The lane's store may hold due work it has not queued: it searches the store when its queue is empty. */
	private static void searchAgain(Lane lane) {
		lane.caughtUp().set(false);
	}

	/** One agency's deliveries in a state (refused ones: for an operator), oldest first, without their payload. */
	public Flux<Delivery> inState(String agencyId, Delivery.State state, int limit) {
		Query query = Query.query(Criteria.where("agencyId").is(agencyId).and("state").is(state))
			.with(Sort.by("submittedAt", "_id"))
			.limit(limit);
		query.fields().exclude("payload");
		return this.mongo.find(query, Delivery.class);
	}

	/**
	 * Sends a refused (or waiting) delivery again now, after an operator fixed what the agency
	 * refused; true if there was one. Its idempotency key stays the same.
	 */
	public Mono<Boolean> retry(String agencyId, String applicationId) {
		return retry(Criteria.where("_id").is(applicationId).and("agencyId").is(agencyId)
			.and("state").in(Delivery.State.REFUSED, Delivery.State.PENDING)).map(count -> count > 0);
	}

	/** Sends every refused delivery of the agency again now; how many. */
	public Mono<Long> retryRefused(String agencyId) {
		return retry(Criteria.where("agencyId").is(agencyId).and("state").is(Delivery.State.REFUSED));
	}

	private Mono<Long> retry(Criteria which) {
		Query query = Query.query(which);
		// a new batch for a file agency: the old batch's name was taken by the agency once already
		Update again = new Update().set("state", Delivery.State.PENDING).set("nextAttemptAt", this.clock.instant())
			.unset("batch");
		return this.mongo.updateMulti(query, again, Delivery.class)
			.map(result -> result.getModifiedCount())
			.doOnNext(count -> this.lanes.values().forEach(lane -> {
				searchAgain(lane);
				lane.job().trigger();
			}));
	}

	/** The agency a delivered application went to, if this adapter delivered it. */
	public Mono<String> agencyOf(String applicationId) {
		String known = this.agencies.getIfPresent(applicationId);
		if (known != null) {
			return Mono.just(known);
		}
		return this.mongo.findById(applicationId, Delivery.class)
			.map(Delivery::agencyId)
			.doOnNext(agencyId -> this.agencies.put(applicationId, agencyId));
	}

	/** The agencies of this instance that report only when asked: they are polled. */
	public Set<String> polledAgencies() {
		Set<String> polled = new TreeSet<>();
		this.lanes.values().stream().filter(lane -> lane.connector().polled()).forEach(lane -> polled.add(lane.agencyId()));
		return polled;
	}

	/**
	 * A polled agency's delivered applications that are due to be asked again, longest waiting first.
	 * The store is searched one poll interval ahead, so that until the next one comes due it need not
	 * be searched again (a delivery made meanwhile is due only after a whole interval).
	 */
	public Flux<Delivery> duePolls(String agencyId, int limit) {
		Lane lane = this.lanes.get(agencyId);
		Instant now = this.clock.instant();
		if (lane.pollsQuietUntil().get().isAfter(now)) {
			return Flux.empty();
		}
		Instant horizon = now.plus(lane.agency().pollInterval());
		Query query = Query.query(Criteria.where("agencyId").is(agencyId)
			.and("state").is(Delivery.State.DELIVERED)
			.and("nextPollAt").lte(horizon)).with(Sort.by("nextPollAt")).limit(limit);
		return this.mongo.find(query, Delivery.class).collectList().flatMapMany(found -> {
			List<Delivery> due = found.stream().filter(delivery -> !delivery.nextPollAt().isAfter(now)).toList();
			Instant next = found.stream()
				.map(Delivery::nextPollAt)
				.filter(at -> at.isAfter(now))
				.min(Instant::compareTo)
				.orElse((found.size() >= limit) ? now : horizon);
			lane.pollsQuietUntil().set(next);
			return Flux.fromIterable(due);
		});
	}

	/** The application's statuses at its agency so far, in the agency's order. */
	public Mono<List<AgencyStatus>> statuses(Delivery delivery) {
		Lane lane = this.lanes.get(delivery.agencyId());
		return lane.connector().statuses(delivery);
	}

	/**
	 * Records that the agency's statuses up to {@code sequence} were passed on; it is asked again after
	 * its poll interval, or never again once its last status came.
	 */
	public Mono<Void> reported(Delivery delivery, int sequence, boolean last) {
		Update update = new Update().set("reportedSequence", sequence);
		if (last) {
			update.unset("nextPollAt");
		}
		else {
			update.set("nextPollAt", this.clock.instant().plus(this.lanes.get(delivery.agencyId()).agency().pollInterval()));
		}
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(delivery.id())), update, Delivery.class)
			.then();
	}

	/** Drops an application's form once its agency has given its first word on it. */
	public Mono<Void> forgetForm(String agencyId, String applicationId) {
		// read by id, then written by revision (both index look-ups): a refusal recorded meanwhile
		// changed the revision, and keeps the form for the operator's retry
		return this.mongo.findById(applicationId, Delivery.class)
			.filter(delivery -> agencyId.equals(delivery.agencyId()) && delivery.state() == Delivery.State.DELIVERED
					&& delivery.payload() != null)
			.flatMap(delivery -> {
				// a record stored before revisions: its state is the condition (one scan, for old records only)
				Criteria unchanged = (delivery.revision() != null) ? delivery.unchanged()
						: Criteria.where("_id").is(applicationId).and("state").is(Delivery.State.DELIVERED);
				return this.mongo.updateFirst(Query.query(unchanged), new Update().unset("payload"), Delivery.class);
			})
			.then();
	}

	/** The file connectors of this instance's file agencies, by agency id. */
	public Map<String, FileConnector> fileAgencies() {
		Map<String, FileConnector> files = new LinkedHashMap<>();
		this.lanes.values().stream().filter(lane -> lane.connector() instanceof FileConnector)
			.forEach(lane -> files.put(lane.agencyId(), (FileConnector) lane.connector()));
		return files;
	}

	/**
	 * Records that the agency refused a delivered application after all (a file agency's result: the
	 * row it could not take); it waits for an operator like any refusal. True if it was delivered there.
	 */
	public Mono<Boolean> refusedLater(String agencyId, String applicationId, String reason) {
		Query query = Query.query(Criteria.where("_id").is(applicationId).and("agencyId").is(agencyId)
			.and("state").is(Delivery.State.DELIVERED));
		this.meters.counter("mpp.adapter.deliveries", "agency", agencyId, "result", "refused").increment();
		return this.mongo.findAndModify(query, new Update().set("state", Delivery.State.REFUSED).set("lastError", reason)
			.set("revision", Delivery.refusedRevisionOf(applicationId, this.clock.instant())), Delivery.class)
			.flatMap(refused -> deadLetter(refused, reason).thenReturn(true))
			.defaultIfEmpty(false);
	}

	/** Where an agency's refused applications are announced to operators: one dead-letter topic per agency. */
	public static String deadLetterTopic(String agencyId) {
		return "mpp.agency." + agencyId + ".applications.v1" + DeadLetters.SUFFIX;
	}

	/**
	 * Announces a refusal on the agency's dead-letter topic (the application as the agency was sent
	 * it, the reason in {@value DeadLetters#REASON_HEADER}). The store stays the record an operator
	 * replays from: a dead letter that could not be written is only logged.
	 */
	private Mono<Void> deadLetter(Delivery delivery, String reason) {
		ProducerRecord<String, String> record = new ProducerRecord<>(deadLetterTopic(delivery.agencyId()), delivery.id(),
				delivery.payload());
		record.headers().add(DeadLetters.REASON_HEADER, ("refused: " + reason).getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_id", delivery.eventId().getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_source", "/agency-adapter".getBytes(StandardCharsets.UTF_8));
		return Mono.fromFuture(() -> this.kafka.send(record))
			.timeout(Duration.ofSeconds(10))
			.then()
			.onErrorResume(failure -> {
				log.warn("refusal of {} by {} not announced on {}: {}", delivery.id(), delivery.agencyId(),
						deadLetterTopic(delivery.agencyId()), failure.toString());
				return Mono.empty();
			});
	}

	/**
	 * Every lane looks for due work: retries whose time has come; and every rescan interval it searches
	 * the store, for what another instance or a crash left behind.
	 */
	@Scheduled(fixedDelayString = "${mpp.adapter.sweep-interval:1s}", initialDelayString = "${mpp.adapter.sweep-interval:1s}")
	void sweep() {
		Instant now = this.clock.instant();
		if (!this.lastSearch.plus(this.rescan).isAfter(now)) {
			this.lastSearch = now;
			this.lanes.values().forEach(Deliveries::searchAgain);
		}
		this.lanes.keySet().forEach(this::trigger);
	}

	void trigger(String agencyId) {
		Optional.ofNullable(this.lanes.get(agencyId)).ifPresent(lane -> lane.job().trigger());
	}

	/**
	 * Starts the lane's due deliveries, oldest first, up to its concurrency: each one that finishes
	 * makes room for the next at once, so a long call holds one place, not the lane.
	 */
	private Mono<Void> drain(Lane lane) {
		if (lane.connector().batchSize() > 1) {
			return drainBatch(lane);
		}
		if (lane.concurrency() - lane.inFlight().size() <= 0) {
			return Mono.empty();
		}
		Instant now = this.clock.instant();
		if (!lane.retries().isEmpty() && !lane.retries().firstKey().isAfter(now)) {
			lane.retries().headMap(now, true).clear();
			searchAgain(lane);
		}
		// the next due deliveries, oldest first, are read ahead in one query (a query per delivery would
		// cost a scan of the whole backlog each time), and only while the store may hold some that are
		// not queued: a lane that has caught up takes new deliveries from accept() without asking
		Mono<Void> refill = Mono.empty();
		if (lane.queued().isEmpty() && !lane.caughtUp().get()) {
			// while the breaker is open nothing could be sent: no search either (the backlog grows
			// during an outage, and so would the cost of each search); its probe time lets one through
			if (!lane.breaker().tryAcquirePermission()) {
				return Mono.empty();
			}
			lane.breaker().releasePermission();
			synchronized (lane) {
				lane.searching().set(true);
				lane.acceptedWhileSearching().clear();
			}
			Criteria criteria = Criteria.where("agencyId").is(lane.agencyId())
				.and("state").is(Delivery.State.PENDING)
				.and("nextAttemptAt").lte(now);
			if (!lane.inFlight().isEmpty()) {
				criteria = criteria.and("_id").nin(Set.copyOf(lane.inFlight()));
			}
			int ahead = Math.max(lane.readAhead().get(), lane.concurrency() * 4);
			refill = this.mongo.find(Query.query(criteria).with(Sort.by("submittedAt", "_id")).limit(ahead), Delivery.class)
				.collectList()
				.doOnNext(found -> {
					lane.readAhead().set((found.size() < ahead) ? READ_AHEAD : Math.min(ahead * 2, MAX_READ_AHEAD));
					synchronized (lane) {
						lane.queued().addAll(found);
						// all due work is queued or under way, with those accepted during the search
						// that it did not see
						if (found.size() < ahead) {
							Set<String> seen = new HashSet<>();
							found.forEach(delivery -> seen.add(delivery.id()));
							lane.acceptedWhileSearching().stream()
								.filter(delivery -> !seen.contains(delivery.id()))
								.forEach(lane.queued()::add);
							lane.caughtUp().set(true);
						}
						lane.searching().set(false);
						lane.acceptedWhileSearching().clear();
					}
				})
				.then();
		}
		return refill.then(Mono.fromRunnable(() -> start(lane)));
	}

	/** Starts queued deliveries while the lane has room and the breaker lets calls through. */
	private void start(Lane lane) {
		while (lane.inFlight().size() < lane.concurrency()) {
			Delivery delivery = lane.queued().poll();
			if (delivery == null) {
				return;
			}
			if (!lane.inFlight().add(delivery.id())) {
				continue;
			}
			// while the breaker is open nothing is sent: the work waits, in order
			if (!lane.breaker().tryAcquirePermission()) {
				lane.inFlight().remove(delivery.id());
				lane.queued().clear();
				searchAgain(lane);
				return;
			}
			attempt(lane, delivery).doFinally(done -> {
				lane.inFlight().remove(delivery.id());
				lane.job().trigger();
			}).subscribe(written -> { }, failure -> log.warn("delivery of {} to {} not recorded: {}", delivery.id(),
					lane.agencyId(), failure.toString()));
		}
	}

	/**
	 * For an agency that takes batches: one batch at a time. A batch begun before (its write failed,
	 * or the adapter stopped during it) is sent again first, as it was — same name, same
	 * applications; otherwise, once the agency's batch interval has passed (or a full batch waits), a
	 * new batch of the oldest waiting applications is fixed in the store before it is written.
	 */
	private Mono<Void> drainBatch(Lane lane) {
		if (!lane.inFlight().isEmpty()) {
			return Mono.empty();
		}
		Instant now = this.clock.instant();
		Criteria due = Criteria.where("agencyId").is(lane.agencyId()).and("state").is(Delivery.State.PENDING);
		Query begun = Query.query(new Criteria().andOperator(due, Criteria.where("batch").ne(null),
				Criteria.where("nextAttemptAt").lte(now))).with(Sort.by("submittedAt", "_id")).limit(1);
		return this.mongo.findOne(begun, Delivery.class)
			.map(Delivery::batch)
			.switchIfEmpty(Mono.defer(() -> newBatch(lane, due, now)))
			.flatMap(batch -> this.mongo
				.find(Query.query(Criteria.where("agencyId").is(lane.agencyId()).and("batch").is(batch)
					.and("state").is(Delivery.State.PENDING)).with(Sort.by("submittedAt", "_id")), Delivery.class)
				.collectList()
				.flatMap(deliveries -> sendBatch(lane, batch, deliveries)));
	}

	private Mono<String> newBatch(Lane lane, Criteria due, Instant now) {
		Query waiting = Query.query(new Criteria().andOperator(due, Criteria.where("batch").is(null)))
			.with(Sort.by("submittedAt", "_id"))
			.limit(lane.connector().batchSize());
		return this.mongo.find(waiting, Delivery.class).map(Delivery::id).collectList().flatMap(ids -> {
			boolean full = ids.size() >= lane.connector().batchSize();
			boolean time = !now.isBefore(lane.lastBatch().get().plus(lane.agency().batchInterval()));
			if (ids.isEmpty() || !(full || time)) {
				return Mono.empty();
			}
			String batch = lane.agencyId().toUpperCase(Locale.ROOT) + "_" + BATCH_TIME.format(now) + "_"
					+ Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36) + ".csv";
			lane.lastBatch().set(now);
			Query these = Query.query(Criteria.where("_id").in(ids).and("batch").is(null));
			return this.mongo.updateMulti(these, new Update().set("batch", batch), Delivery.class).thenReturn(batch);
		});
	}

	private Mono<Void> sendBatch(Lane lane, String batch, List<Delivery> deliveries) {
		if (deliveries.isEmpty() || !lane.breaker().tryAcquirePermission()) {
			return Mono.empty();
		}
		deliveries.forEach(delivery -> lane.inFlight().add(delivery.id()));
		long started = System.nanoTime();
		lane.connector().deliver(batch, deliveries).flatMap(outcome -> {
			long took = System.nanoTime() - started;
			if (outcome instanceof Connector.Outcome.Failed failed) {
				lane.breaker().onError(took, TimeUnit.NANOSECONDS, new IOException(failed.reason()));
			}
			else {
				succeeded(lane, took);
			}
			return Flux.fromIterable(deliveries).concatMap(delivery -> record(lane, delivery, outcome)).then();
		}).doFinally(done -> {
			deliveries.forEach(delivery -> lane.inFlight().remove(delivery.id()));
			lane.job().trigger();
		}).subscribe(written -> { }, failure -> log.warn("batch {} to {} not recorded: {}", batch, lane.agencyId(),
				failure.toString()));
		return Mono.empty();
	}

	private Mono<Boolean> attempt(Lane lane, Delivery delivery) {
		long started = System.nanoTime();
		return send(lane, delivery).flatMap(outcome -> {
			long took = System.nanoTime() - started;
			if (outcome instanceof Connector.Outcome.Failed failed) {
				lane.breaker().onError(took, TimeUnit.NANOSECONDS, new IOException(failed.reason()));
			}
			else {
				succeeded(lane, took);
			}
			return record(lane, delivery, outcome);
		});
	}

	/**
	 * A call the agency answered. If it was the probe of an open breaker, the agency is back: its
	 * waiting work is due now, in order, however far the probes' own back-off had pushed them.
	 */
	private void succeeded(Lane lane, long took) {
		boolean probing = lane.breaker().getState() == CircuitBreaker.State.HALF_OPEN;
		lane.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
		if (probing && lane.breaker().getState() == CircuitBreaker.State.CLOSED) {
			Query waiting = Query.query(Criteria.where("agencyId").is(lane.agencyId()).and("state").is(Delivery.State.PENDING)
				.and("nextAttemptAt").gt(this.clock.instant()));
			this.mongo.updateMulti(waiting, new Update().set("nextAttemptAt", this.clock.instant()), Delivery.class)
				.subscribe(done -> {
					searchAgain(lane);
					lane.job().trigger();
				}, failure -> log.warn("{}'s waiting work not made due: {}",
						lane.agencyId(), failure.toString()));
		}
	}

	/**
	 * One attempt. An agency without idempotency key is first asked whether an earlier, uncertain
	 * attempt got through (then it is delivered, not sent again); and before a call the delivery is
	 * marked uncertain in the store, so that a crash during the call leads to a look-up, not a repeat.
	 */
	private Mono<Connector.Outcome> send(Lane lane, Delivery delivery) {
		if (lane.agency().guarantee() != AgencyProperties.Guarantee.LOOK_UP) {
			return lane.connector().deliver(delivery);
		}
		Mono<Boolean> registered = !delivery.uncertain() ? Mono.just(false)
				: lane.connector().lookUp(delivery).map(found -> {
					if (found.registered()) {
						throw new AlreadyThere(found.reference());
					}
					return false;
				});
		Query attempted = Query.query(delivery.unchanged());
		return registered
			.flatMap(no -> this.mongo.updateFirst(attempted, new Update().set("uncertain", true), Delivery.class))
			.flatMap(marked -> marked.getModifiedCount() == 1 ? lane.connector().deliver(delivery)
					: Mono.just(new Connector.Outcome.Failed("recorded meanwhile by another attempt")))
			.onErrorResume(AlreadyThere.class, there -> Mono.just(new Connector.Outcome.Delivered(there.reference)))
			.onErrorResume(failure -> Mono.just(new Connector.Outcome.Failed("look-up: " + failure)));
	}

	/** A look-up found the application at the agency already. */
	private static final class AlreadyThere extends RuntimeException {

		private final String reference;

		AlreadyThere(String reference) {
			super(null, null, false, false);
			this.reference = reference;
		}

	}

	private Mono<Boolean> record(Lane lane, Delivery delivery, Connector.Outcome outcome) {
		Query attempted = Query.query(delivery.unchanged());
		Instant now = this.clock.instant();
		Update update = new Update().inc("attempts", 1).set("revision", Delivery.revisionOf(delivery.id(), delivery.attempts() + 1));
		String result;
		if (outcome instanceof Connector.Outcome.Delivered delivered) {
			// the agency has it: the form (personal data) is no longer needed here
			update.set("state", Delivery.State.DELIVERED).set("deliveredAt", now).unset("lastError").set("uncertain", false);
			if (!(lane.connector() instanceof FileConnector)) {
				// the agency has it: the form (personal data) is no longer needed here; a file agency
				// may still refuse a row, so its form is kept until the agency's first word on it
				update.unset("payload");
			}
			if (lane.connector().polled()) {
				update.set("nextPollAt", now.plus(lane.agency().pollInterval()));
			}
			if (delivered.reference() != null) {
				update.set("agencyReference", delivered.reference());
			}
			this.agencies.put(delivery.id(), delivery.agencyId());
			result = "delivered";
		}
		else if (outcome instanceof Connector.Outcome.Refused refused) {
			update.set("state", Delivery.State.REFUSED).set("lastError", refused.reason()).set("uncertain", false);
			log.warn("{} refused application {}: {}", delivery.agencyId(), delivery.id(), refused.reason());
			result = "refused";
		}
		else {
			Connector.Outcome.Failed failed = (Connector.Outcome.Failed) outcome;
			Duration wait = this.properties.retry().after(delivery.attempts() + 1, ThreadLocalRandom.current().nextDouble());
			update.set("nextAttemptAt", now.plus(wait)).set("lastError", failed.reason());
			lane.retries().put(now.plus(wait), delivery.id());
			result = "retried";
		}
		this.meters.counter("mpp.adapter.deliveries", "agency", delivery.agencyId(), "result", result).increment();
		Mono<Void> logged = (outcome instanceof Connector.Outcome.Delivered)
				? this.messageLog.append(MessageLog.Direction.OUT, delivery.agencyId(), delivery.id(), "application",
						delivery.payload())
				: (outcome instanceof Connector.Outcome.Refused refusal) ? deadLetter(delivery, refusal.reason())
						: Mono.empty();
		return this.mongo.updateFirst(attempted, update, Delivery.class)
			.flatMap(written -> logged.thenReturn(written.getModifiedCount() == 1));
	}

}
