package id.mppdigital.catalog.standard;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.agency.Agencies;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.defaults.MppTime;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * The life of a service standard: one draft at a time, replaced freely; publishing freezes it as
 * the next version with a validity start later than every earlier version's; the current version is
 * the newest one already valid. Every state change is a single-document write (conditional on the
 * draft still being a draft), so concurrent administrators cannot change a published version.
 */
@Service
public class ServiceStandards {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Direction.DESC, "version");

	private final StandardVersionRepository versions;

	private final Agencies agencies;

	private final FormSchemas forms;

	private final ReactiveMongoTemplate mongo;

	private final AuditLog audit;

	private final PublishedStandardEvents events;

	private final Clock clock;

	private final ApplicationEventPublisher applicationEvents;

	/** A standard got a new published version (for in-process caches such as the search index). */
	public record StandardsChanged(String standardId) {
	}

	ServiceStandards(StandardVersionRepository versions, Agencies agencies, FormSchemas forms,
			ReactiveMongoTemplate mongo, AuditLog audit, PublishedStandardEvents events, Clock clock,
			ApplicationEventPublisher applicationEvents) {
		this.applicationEvents = applicationEvents;
		this.versions = versions;
		this.agencies = agencies;
		this.forms = forms;
		this.mongo = mongo;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	public LocalDate today() {
		return MppTime.nationalToday(this.clock);
	}

	/** Creates the draft (the next version) or replaces the existing one. */
	Mono<StandardVersion> putDraft(String standardId, StandardContent content, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		List<Problems.FieldError> problems = new ArrayList<>(this.forms.problems(content.applicationForm()));
		return this.agencies.exists(content.agencyId()).flatMap(agencyExists -> {
			if (!agencyExists) {
				problems.add(0, new Problems.FieldError("agencyId", "no agency with id " + content.agencyId()));
			}
			if (!problems.isEmpty()) {
				return Mono.error(Problems.unprocessable(problems));
			}
			return this.versions.findByStandardId(standardId, NEWEST_FIRST).next().flatMap(latest -> {
				if (latest.status() == StandardVersion.Status.DRAFT) {
					return replaceDraft(latest, content, caller);
				}
				return insertDraft(standardId, latest.version() + 1, content, caller);
			}).switchIfEmpty(Mono.defer(() -> insertDraft(standardId, 1, content, caller)));
		});
	}

	private Mono<StandardVersion> insertDraft(String standardId, int version, StandardContent content, Caller caller) {
		StandardVersion draft = new StandardVersion(StandardVersion.id(standardId, version), standardId, version,
				StandardVersion.Status.DRAFT, null, null, null, false, content);
		return this.mongo.insert(draft)
			.onErrorMap(DuplicateKeyException.class,
					ex -> Problems.conflict("Version " + version + " of " + standardId + " was created meanwhile; retry."))
			.flatMap(saved -> this.audit.record(caller, "standard.draft.create", target(saved), null, saved));
	}

	private Mono<StandardVersion> replaceDraft(StandardVersion draft, StandardContent content, Caller caller) {
		StandardVersion replacement = new StandardVersion(draft.id(), draft.standardId(), draft.version(),
				StandardVersion.Status.DRAFT, null, null, null, false, content);
		return this.mongo
			.findAndReplace(stillDraft(draft.id()), replacement, FindAndReplaceOptions.options().returnNew())
			.switchIfEmpty(Mono.error(() -> Problems.conflict("Version " + draft.version() + " of " + draft.standardId()
					+ " was published meanwhile; put the draft again to start the next version.")))
			.flatMap(saved -> this.audit.record(caller, "standard.draft.update", target(saved), draft, saved));
	}

	/** Publishes the draft, valid from the given day; the event follows (see {@link PublishedStandardEvents}). */
	Mono<StandardVersion> publish(String standardId, LocalDate validFrom, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		if (validFrom.isBefore(today())) {
			return Mono.error(Problems.unprocessable("validFrom",
					"must not be in the past: the version that applied on earlier days cannot change"));
		}
		return this.versions.findByStandardId(standardId, NEWEST_FIRST).collectList().flatMap(all -> {
			StandardVersion draft = all.stream()
				.filter(version -> version.status() == StandardVersion.Status.DRAFT)
				.findFirst()
				.orElse(null);
			if (draft == null) {
				return Mono.error(all.isEmpty() ? Problems.notFound("No service standard with id " + standardId)
						: Problems.conflict("No draft of " + standardId + " to publish: put one first."));
			}
			for (StandardVersion earlier : all) {
				if (earlier.status() == StandardVersion.Status.PUBLISHED && !validFrom.isAfter(earlier.validFrom())) {
					return Mono.error(Problems.unprocessable("validFrom", "overlaps version " + earlier.version()
							+ ", valid from " + earlier.validFrom() + ": a new version must start later"));
				}
			}
			StandardVersion published = draft.published(validFrom, Instant.now(this.clock), caller.subject());
			return this.mongo.findAndReplace(stillDraft(draft.id()), published, FindAndReplaceOptions.options().returnNew())
				.switchIfEmpty(Mono.error(() -> Problems.conflict("Version " + draft.version() + " of " + standardId
						+ " was published or replaced meanwhile.")))
				.flatMap(saved -> this.audit.record(caller, "standard.publish", target(saved), draft, saved))
				.doOnSuccess(saved -> {
					this.events.trigger();
					this.applicationEvents.publishEvent(new StandardsChanged(standardId));
				});
		});
	}

	/** The newest published version already valid on {@code day}. */
	Mono<StandardVersion> current(String standardId, LocalDate day) {
		return this.versions.findByStandardId(standardId, NEWEST_FIRST)
			.filter(version -> version.status() == StandardVersion.Status.PUBLISHED && !version.validFrom().isAfter(day))
			.next();
	}

	/** A given version: published ones for everyone, a draft only for platform administrators. */
	Mono<StandardVersion> version(String standardId, int version, Caller caller) {
		return this.versions.findById(StandardVersion.id(standardId, version)).filter(found -> visible(found, caller));
	}

	Flux<StandardVersion> versions(String standardId, Caller caller) {
		return this.versions.findByStandardId(standardId, Sort.by("version")).filter(found -> visible(found, caller));
	}

	private static boolean visible(StandardVersion version, Caller caller) {
		return version.status() == StandardVersion.Status.PUBLISHED || (caller != null && caller.has(Caller.PLATFORM_ADMIN));
	}

	/** The current version of every standard (optionally of one agency), by standard id. */
	public Flux<StandardVersion> currentAll(String agencyId, LocalDate day) {
		return this.versions.findByStatus(StandardVersion.Status.PUBLISHED, Sort.by("standardId").and(NEWEST_FIRST))
			.filter(version -> !version.validFrom().isAfter(day))
			.filter(version -> agencyId == null || agencyId.equals(version.content().agencyId()))
			.collectList()
			.flatMapIterable(newestFirst -> {
				Map<String, StandardVersion> current = new LinkedHashMap<>();
				newestFirst.forEach(version -> current.putIfAbsent(version.standardId(), version));
				return current.values();
			});
	}

	private static Query stillDraft(String id) {
		return Query.query(Criteria.where("_id").is(id).and("status").is(StandardVersion.Status.DRAFT));
	}

	private static String target(StandardVersion version) {
		return "standards/" + version.standardId();
	}

}
