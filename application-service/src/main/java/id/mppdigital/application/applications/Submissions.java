package id.mppdigital.application.applications;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

import id.mppdigital.access.Caller;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
import id.mppdigital.application.catalog.Catalog;
import id.mppdigital.application.privacy.FormVault;
import id.mppdigital.application.standard.FormCheck;
import id.mppdigital.application.standard.KnownStandard;
import id.mppdigital.application.standard.StandardReplica;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Submitting an application, idempotently: with an {@code Idempotency-Key}, repeating the request
 * returns the application the first one created (whether or not its answer arrived), never a second
 * one — even when the first request stopped between its two writes (the key, then the application):
 * the repeat finishes it under the same number. The form is normalised first ({@link FormCheck#normalised})
 * and compared in canonical form ({@link CanonicalJson}); each new application counts against the
 * citizen's daily limit for the service ({@link SubmissionQuota}).
 */
@Component
class Submissions {

	private final ReactiveMongoTemplate mongo;

	private final StandardReplica standards;

	private final FormCheck forms;

	private final Catalog catalog;

	private final FormVault vault;

	private final TrackingNumbers numbers;

	private final ApplicationEvents events;

	private final ApplicationCounts counts;

	private final SubmissionQuota quota;

	private final JsonMapper json;

	private final Clock clock;

	Submissions(ReactiveMongoTemplate mongo, StandardReplica standards, FormCheck forms, Catalog catalog,
			FormVault vault, TrackingNumbers numbers, ApplicationEvents events, ApplicationCounts counts,
			SubmissionQuota quota, JsonMapper json, Clock clock) {
		this.mongo = mongo;
		this.standards = standards;
		this.forms = forms;
		this.catalog = catalog;
		this.vault = vault;
		this.numbers = numbers;
		this.events = events;
		this.counts = counts;
		this.quota = quota;
		this.json = json;
		this.clock = clock;
	}

	Mono<Applications.Submitted> submit(Caller caller, String mppId, String standardId, JsonNode submitted,
			String idempotencyKey) {
		JsonNode form = this.forms.normalised(submitted);
		if (idempotencyKey == null) {
			return prepare(mppId, standardId, form)
				.flatMap(prepared -> this.quota.take(caller.subject(), standardId)
					.then(Mono.defer(() -> create(caller, mppId, prepared, form, this.numbers.newTrackingNumber()))));
		}
		String submissionId = sha256(caller.subject() + "\n" + idempotencyKey);
		// the same form is the same fingerprint, in whatever order its fields came
		String fingerprint = this.vault.fingerprint(mppId + "\n" + standardId + "\n" + CanonicalJson.of(form));
		return this.mongo.findById(submissionId, Submission.class)
			.flatMap(earlier -> replay(caller, earlier, fingerprint, mppId, standardId, form))
			.switchIfEmpty(Mono.defer(() -> {
				String trackingNumber = this.numbers.newTrackingNumber();
				// validate first: a refused request leaves nothing behind, not even the key; count it
				// once the key is this request's (a simultaneous repeat is not counted twice)
				return prepare(mppId, standardId, form)
					.flatMap(prepared -> this.mongo.insert(new Submission(submissionId, trackingNumber, fingerprint))
						.then(Mono.defer(() -> this.quota.take(caller.subject(), standardId)
							.onErrorResume(full -> this.mongo.remove(Query.query(Criteria.where("_id").is(submissionId)),
									Submission.class).then(Mono.error(full)))))
						.then(Mono.defer(() -> create(caller, mppId, prepared, form, trackingNumber))))
					.onErrorResume(DuplicateKeyException.class, raced -> this.mongo.findById(submissionId, Submission.class)
						.flatMap(earlier -> replay(caller, earlier, fingerprint, mppId, standardId, form)));
			}));
	}

	private Mono<Applications.Submitted> replay(Caller caller, Submission earlier, String fingerprint, String mppId,
			String standardId, JsonNode form) {
		if (!earlier.fingerprint().equals(fingerprint)) {
			return Mono.error(Problems.unprocessable("Idempotency-Key",
					"was already used for a different application; use a new key for a new application"));
		}
		return this.mongo.findById(earlier.applicationId(), Application.class)
			.map(application -> new Applications.Submitted(application, false))
			// the first request stopped between its two writes (or is between them right now): finish
			// it under the same number; whichever of the two writes the application first wins
			.switchIfEmpty(Mono.defer(() -> prepare(mppId, standardId, form)
				.flatMap(prepared -> create(caller, mppId, prepared, form, earlier.applicationId()))
				.onErrorResume(DuplicateKeyException.class, raced -> this.mongo
					.findById(earlier.applicationId(), Application.class)
					.map(application -> new Applications.Submitted(application, false)))));
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

	private Mono<Applications.Submitted> create(Caller caller, String mppId, Prepared prepared, JsonNode form,
			String trackingNumber) {
		KnownStandard standard = prepared.standard();
		Instant now = prepared.at();
		Application application = new Application(trackingNumber, caller.subject(), mppId, standard.standardId(),
				standard.version(), standard.agencyId(), this.vault.seal(trackingNumber, this.json.writeValueAsString(form)),
				State.SUBMITTED,
				List.of(Step.of(State.SUBMITTED, now, caller.subject(), Caller.CITIZEN, null)), now,
				prepared.dueDate(), null, this.numbers.newReceiptCode(), false, true, List.of(), null, null,
				Application.revisionOf(trackingNumber, 1));
		return this.mongo.insert(application)
			.doOnSuccess(this.events::submitted)
			.map(saved -> new Applications.Submitted(this.counts.counted(saved), true));
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
