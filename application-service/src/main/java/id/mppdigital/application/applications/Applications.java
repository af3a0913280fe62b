package id.mppdigital.application.applications;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import id.mppdigital.access.Caller;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
import id.mppdigital.application.catalog.Catalog;
import id.mppdigital.application.privacy.FormVault;
import id.mppdigital.application.standard.FormCheck;
import id.mppdigital.application.standard.KnownStandard;
import id.mppdigital.application.standard.StandardReplica;
import id.mppdigital.problems.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Submitting applications and moving them through their states, with who may do what decided here
 * from the caller's token and the application's applicant, MPP and agency (docs/security.md).
 */
@Service
public class Applications {

	/** Tracking numbers: no 0/O, 1/I, so they can be read out at a counter. */
	private static final char[] ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

	private final SecureRandom random = new SecureRandom();

	private final ReactiveMongoTemplate mongo;

	private final StandardReplica standards;

	private final FormCheck forms;

	private final JsonMapper json;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Catalog catalog;

	private final ApplicationEvents events;

	private final FormVault vault;

	Applications(ReactiveMongoTemplate mongo, StandardReplica standards, FormCheck forms, JsonMapper json, Clock clock,
			MeterRegistry meters, Catalog catalog, ApplicationEvents events, FormVault vault) {
		this.vault = vault;
		this.catalog = catalog;
		this.events = events;
		this.mongo = mongo;
		this.standards = standards;
		this.forms = forms;
		this.json = json;
		this.clock = clock;
		this.meters = meters;
	}

	/** Operators see the flow per agency: {@code mpp_applications_total{state, agency}}. */
	private Application counted(Application application) {
		this.meters.counter("mpp.applications", "state", application.state().name(), "agency", application.agencyId())
			.increment();
		return application;
	}

	/** What {@link #submit} did: created the application, or found it created by an earlier request. */
	public record Submitted(Application application, boolean created) {
	}

	/**
	 * A citizen submits an application. With an idempotency key, repeating the request returns the
	 * application the first one created (whether or not its answer arrived), never a second one.
	 */
	public Mono<Submitted> submit(Caller caller, String mppId, String standardId, JsonNode form,
			String idempotencyKey) {
		caller.requireAnyRole(Caller.CITIZEN);
		if (idempotencyKey == null) {
			return prepare(mppId, standardId, form)
				.flatMap(prepared -> create(caller, mppId, prepared, form, newTrackingNumber()));
		}
		String submissionId = sha256(caller.subject() + "\n" + idempotencyKey);
		String fingerprint = this.vault.fingerprint(mppId + "\n" + standardId + "\n" + this.json.writeValueAsString(form));
		return this.mongo.findById(submissionId, Submission.class)
			.flatMap(earlier -> replay(caller, earlier, fingerprint, mppId, standardId, form))
			.switchIfEmpty(Mono.defer(() -> {
				String trackingNumber = newTrackingNumber();
				// validate first: a refused request leaves nothing behind, not even the key
				return prepare(mppId, standardId, form)
					.flatMap(prepared -> this.mongo.insert(new Submission(submissionId, trackingNumber, fingerprint))
						.then(Mono.defer(() -> create(caller, mppId, prepared, form, trackingNumber))))
					.onErrorResume(DuplicateKeyException.class, raced -> this.mongo.findById(submissionId, Submission.class)
						.flatMap(earlier -> replay(caller, earlier, fingerprint, mppId, standardId, form)));
			}));
	}

	private Mono<Submitted> replay(Caller caller, Submission earlier, String fingerprint, String mppId,
			String standardId, JsonNode form) {
		if (!earlier.fingerprint().equals(fingerprint)) {
			return Mono.error(Problems.unprocessable("Idempotency-Key",
					"was already used for a different application; use a new key for a new application"));
		}
		return this.mongo.findById(earlier.applicationId(), Application.class)
			.map(application -> new Submitted(application, false))
			// the first request stopped between its two writes (or is between them right now): finish
			// it under the same number; whichever of the two writes the application first wins
			.switchIfEmpty(Mono.defer(() -> prepare(mppId, standardId, form)
				.flatMap(prepared -> create(caller, mppId, prepared, form, earlier.applicationId()))
				.onErrorResume(DuplicateKeyException.class, raced -> this.mongo
					.findById(earlier.applicationId(), Application.class)
					.map(application -> new Submitted(application, false)))));
	}

	private Mono<KnownStandard> check(String standardId, JsonNode form) {
		return this.standards.current(standardId)
			.switchIfEmpty(Mono.error(() -> Problems.unprocessable("standardId",
					"no published service standard '" + standardId + "' applies today")))
			.flatMap(standard -> {
				List<Problems.FieldError> problems = this.forms.problems(standard, form);
				return problems.isEmpty() ? Mono.just(standard) : Mono.error(Problems.unprocessable(problems));
			});
	}

	/** A submission that may be stored: its standard version, when it was made and when it is due. */
	private record Prepared(KnownStandard standard, Instant at, LocalDate dueDate) {
	}

	/** Everything that can refuse a submission, before anything is written. */
	private Mono<Prepared> prepare(String mppId, String standardId, JsonNode form) {
		return check(standardId, form).flatMap(standard -> {
			if (!standard.online()) {
				return Mono.error(Problems.unprocessable("standardId",
						"can only be applied for at the counter: take a queue number at the MPP"));
			}
			Instant now = this.clock.instant();
			return this.catalog.requireOffered(mppId, standardId)
				.then(this.catalog.dueDate(mppId, now, standard.processingDays()))
				.map(due -> new Prepared(standard, now, due));
		});
	}

	private Mono<Submitted> create(Caller caller, String mppId, Prepared prepared, JsonNode form,
			String trackingNumber) {
		KnownStandard standard = prepared.standard();
		Instant now = prepared.at();
		Application application = new Application(trackingNumber, caller.subject(), mppId, standard.standardId(),
				standard.version(), standard.agencyId(), this.vault.seal(trackingNumber, this.json.writeValueAsString(form)),
				State.SUBMITTED,
				List.of(new Step(State.SUBMITTED, now, caller.subject(), Caller.CITIZEN, null)), now,
				prepared.dueDate(), null, newReceiptCode(), false, true);
		return this.mongo.insert(application)
			.doOnSuccess(saved -> this.events.submitted())
			.map(saved -> new Submitted(counted(saved), true));
	}

	/**
	 * One application, if the caller may see it: its applicant; an officer of its agency at its MPP;
	 * its agency's system. Anyone else's application is absent to a citizen (404) and forbidden to
	 * staff and machines of another agency or MPP (403).
	 */
	public Mono<Application> find(Caller caller, String id) {
		caller.requireAnyRole(Caller.CITIZEN, Caller.OFFICER, Caller.AGENCY_SYSTEM);
		return this.mongo.findById(id, Application.class)
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.map(application -> {
				if (caller.owns(application.applicant())) {
					return application;
				}
				if (!actsAsStaff(caller)) {
					// another citizen's: not even its existence is revealed
					throw notFound(id);
				}
				requireHandler(caller, application);
				return application;
			});
	}

	private static RuntimeException notFound(String id) {
		return Problems.notFound("No application '" + id + "'.");
	}

	/** Officers and agency systems handle applications; everyone else who gets this far is a citizen. */
	private static boolean actsAsStaff(Caller caller) {
		return caller.has(Caller.OFFICER) || caller.has(Caller.AGENCY_SYSTEM);
	}

	private static void requireHandler(Caller caller, Application application) {
		caller.requireAnyRole(Caller.OFFICER, Caller.AGENCY_SYSTEM).requireAgency(application.agencyId());
		if (!caller.has(Caller.AGENCY_SYSTEM)) {
			caller.requireMpp(application.mppId());
		}
	}

	/**
	 * The applications the caller works with, newest first: a citizen's own; an officer's agency at
	 * their MPP; an agency system's agency everywhere.
	 */
	public Mono<List<Application>> list(Caller caller, State state, int page, int size) {
		Criteria criteria;
		if (caller.has(Caller.CITIZEN)) {
			criteria = Criteria.where("applicant").is(caller.subject());
		}
		else if (caller.has(Caller.OFFICER) && caller.agency() != null && caller.mpp() != null) {
			criteria = Criteria.where("agencyId").is(caller.agency()).and("mppId").is(caller.mpp());
		}
		else if (caller.has(Caller.AGENCY_SYSTEM) && caller.agency() != null) {
			criteria = Criteria.where("agencyId").is(caller.agency());
		}
		else {
			throw Problems.forbidden("Only citizens, officers and agency systems have applications to list.");
		}
		if (state != null) {
			criteria = criteria.and("state").is(state);
		}
		Query query = Query.query(criteria)
			.with(Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.asc("_id")))
			.skip((long) page * size)
			.limit(size);
		return this.mongo.find(query, Application.class).collectList();
	}

	/**
	 * An officer of the application's agency at its MPP, or the agency's system, moves it on; its
	 * applicant may only withdraw it (another citizen's is 404 as everywhere). The change is made only
	 * if nobody else moved it in the meantime (else 409).
	 */
	public Mono<Application> move(Caller caller, String id, State next, String note, String agencyReference) {
		caller.requireAnyRole(Caller.OFFICER, Caller.AGENCY_SYSTEM, Caller.CITIZEN);
		return this.mongo.findById(id, Application.class)
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.flatMap(application -> {
				String role;
				if (!actsAsStaff(caller)) {
					if (!caller.owns(application.applicant())) {
						return Mono.error(notFound(id));
					}
					if (next != State.WITHDRAWN || agencyReference != null) {
						return Mono.error(Problems.forbidden("An applicant may only withdraw their application."));
					}
					role = Caller.CITIZEN;
				}
				else {
					requireHandler(caller, application);
					if (next == State.WITHDRAWN) {
						return Mono.error(Problems.forbidden("Only the applicant withdraws an application."));
					}
					role = caller.has(Caller.AGENCY_SYSTEM) ? Caller.AGENCY_SYSTEM : Caller.OFFICER;
				}
				if (!application.state().next().contains(next)) {
					return Mono.error(Problems.conflict("An application that is " + application.state()
							+ " cannot become " + next + "; it can become " + application.state().next() + "."));
				}
				Step step = new Step(next, this.clock.instant(), caller.subject(), role, note);
				Update update = new Update().set("state", next).push("history", step).set("stateEventSent", false);
				if (agencyReference != null) {
					update.set("agencyReference", agencyReference);
				}
				Query unchanged = Query.query(Criteria.where("_id").is(id).and("state").is(application.state()));
				return this.mongo.updateFirst(unchanged, update, Application.class).flatMap(result -> result
					.getModifiedCount() == 1 ? this.mongo.findById(id, Application.class)
						.doOnNext(moved -> this.events.stateChanged())
						.map(this::counted)
							: Mono.error(Problems.conflict("The application was changed meanwhile; read it again.")));
			});
	}

	/** Four groups of four characters of the tracking-number alphabet: 80 random bits. */
	private String newReceiptCode() {
		return String.join("-", randomChars(4), randomChars(4), randomChars(4), randomChars(4));
	}

	private String randomChars(int count) {
		StringBuilder chars = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			chars.append(ALPHABET[this.random.nextInt(ALPHABET.length)]);
		}
		return chars.toString();
	}

	/**
	 * A receipt as anyone holding it may check it (public): the application behind a tracking number
	 * and its verification code, without personal data. A wrong code answers as an unknown number.
	 */
	public Mono<Application> verifyReceipt(String id, String code) {
		return this.mongo.findById(id, Application.class)
			.filter(application -> application.receiptCode() != null && MessageDigest.isEqual(
					application.receiptCode().getBytes(StandardCharsets.UTF_8),
					code.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)))
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No receipt with this tracking number and code.")));
	}

	private String newTrackingNumber() {
		return "PMH-" + LocalDate.now(this.clock.withZone(ZoneId.of("Asia/Jakarta"))).format(DAY) + "-"
				+ randomChars(8);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
