package id.mppdigital.notification.templates;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The texts citizens are told, as templates per kind ({@link Kinds}), channel and language, in
 * logic-less Mustache: {@code {{variable}}}, and {@code {{#variable}}…{{/variable}}} for a part shown
 * only when the variable has a value ({@code {{^variable}}…{{/variable}}} when it has none).
 * <ul>
 * <li><b>Checked at save time, never failing at send time.</b> A template is refused (422, the field
 * and why) when it does not compile, names a variable its kind does not have, includes another
 * template, does not render with every variable given or with every one empty, or is too long for
 * its channel. So what is stored always renders with the variables every event gives.</li>
 * <li><b>Versioned.</b> Each save is a new version; every version is kept.</li>
 * <li><b>Which template.</b> The channel's own, else (WhatsApp) the SMS one, else the inbox's —
 * each the administrators' saved version first, then the demo one shipped with the service
 * ({@code templates/demo.json}, both languages, checked at start like a saved one).</li>
 * </ul>
 * Saved templates are held in memory and read again from the store every 30 s, so another
 * instance's save is in use within that.
 */
@Component
public class Templates {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Templates.class);

	/** A text ready to send. */
	public record Rendered(String subject, String body) {
	}

	/** A template as given: its two parts. */
	record Draft(String kind, String channel, String language, String subject, String body) {
	}

	static final int SUBJECT_MAX = 200;

	static final int BODY_MAX = 4000;

	/** What an SMS or WhatsApp provider takes (the simulated one and most real ones). */
	static final int SHORT_MAX = 1600;

	private static final Mustache.Compiler MUSTACHE = Mustache.compiler()
		.escapeHTML(false)
		.strictSections(true)
		.emptyStringIsFalse(true);

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final Map<String, Draft> demo;

	private final Map<String, Template> saved = new ConcurrentHashMap<>();

	private final Map<String, com.samskivert.mustache.Template> compiled = new ConcurrentHashMap<>();

	Templates(ReactiveMongoTemplate mongo, JsonMapper json, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
		this.demo = demo(json);
		reload().block(Duration.ofSeconds(30));
	}

	private static Map<String, Draft> demo(JsonMapper json) {
		List<Draft> drafts;
		try (InputStream in = new ClassPathResource("templates/demo.json").getInputStream()) {
			drafts = json.readValue(in, new TypeReference<List<Draft>>() {
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException("templates/demo.json cannot be read", ex);
		}
		Map<String, Draft> demo = new HashMap<>();
		for (Draft draft : drafts) {
			List<Problems.FieldError> errors = check(draft);
			if (!errors.isEmpty()) {
				throw new IllegalStateException("Demo template " + Template.idOf(draft.kind(), draft.channel(), draft.language())
						+ " is not valid: " + errors);
			}
			demo.put(Template.idOf(draft.kind(), draft.channel(), draft.language()), draft);
		}
		for (String kind : Kinds.ALL.keySet()) {
			for (String language : Kinds.LANGUAGES) {
				if (!demo.containsKey(Template.idOf(kind, "INBOX", language))) {
					throw new IllegalStateException("templates/demo.json has no INBOX template for " + kind + " in " + language);
				}
			}
		}
		return Map.copyOf(demo);
	}

	@Scheduled(fixedDelayString = "${mpp.notification.templates.reload-interval:30s}", initialDelayString = "30s")
	Mono<Void> reload() {
		return this.mongo.findAll(Template.class).collectList().doOnNext(all -> {
			Set<String> ids = new LinkedHashSet<>();
			for (Template template : all) {
				ids.add(template.id());
				this.saved.put(template.id(), template);
			}
			this.saved.keySet().retainAll(ids);
		}).onErrorResume(failure -> {
			log.warn("Templates not read again: {}", failure.toString());
			return Mono.empty();
		}).then();
	}

	/**
	 * The text of {@code kind} for {@code channel} in {@code language} with these variables (a
	 * variable not given is empty). Never fails: every template in use was checked.
	 */
	public Rendered render(String kind, String channel, String language, Map<String, String> variables) {
		Map<String, String> values = new HashMap<>();
		Kinds.Kind known = Kinds.of(kind);
		if (known != null) {
			known.variables().forEach(name -> values.put(name, ""));
		}
		variables.forEach((name, value) -> values.put(name, value == null ? "" : value));
		for (Draft draft : candidates(kind, channel, Kinds.LANGUAGES.contains(language) ? language : "id")) {
			try {
				return new Rendered(execute(draft.subject(), values).strip(), execute(draft.body(), values).strip());
			}
			catch (RuntimeException ex) {
				// only a template stored before its kind lost a variable: the next one serves
				log.error("Template {} does not render: {}", Template.idOf(draft.kind(), draft.channel(), draft.language()),
						ex.getMessage());
			}
		}
		throw new IllegalStateException("No template renders " + kind + " (the demo templates are checked at start)");
	}

	/** The templates to try, in order: the channel's, SMS for WhatsApp, the inbox's; saved before demo. */
	private List<Draft> candidates(String kind, String channel, String language) {
		List<String> channels = new ArrayList<>(List.of(channel));
		if (channel.equals("WHATSAPP")) {
			channels.add("SMS");
		}
		if (!channel.equals("INBOX")) {
			channels.add("INBOX");
		}
		List<Draft> found = new ArrayList<>();
		String known = Kinds.of(kind) == null ? Kinds.application("OTHER") : kind;
		for (String each : channels) {
			String id = Template.idOf(known, each, language);
			Template stored = this.saved.get(id);
			if (stored != null) {
				found.add(new Draft(stored.kind(), stored.channel(), stored.language(), stored.subject(), stored.body()));
			}
			Draft shipped = this.demo.get(id);
			if (shipped != null) {
				found.add(shipped);
			}
		}
		return found;
	}

	private String execute(String text, Map<String, String> values) {
		if (text == null || text.isEmpty()) {
			return "";
		}
		return this.compiled.computeIfAbsent(text, MUSTACHE::compile).execute(values);
	}

	/** Why a draft cannot be saved; empty when it can. */
	static List<Problems.FieldError> check(Draft draft) {
		List<Problems.FieldError> errors = new ArrayList<>();
		Kinds.Kind kind = Kinds.of(draft.kind());
		if (kind == null || !Kinds.CHANNELS.contains(draft.channel()) || !Kinds.LANGUAGES.contains(draft.language())) {
			errors.add(new Problems.FieldError("kind", "is none of " + Kinds.ALL.keySet() + " for " + Kinds.CHANNELS + " in "
					+ Kinds.LANGUAGES));
			return errors;
		}
		boolean short_ = draft.channel().equals("SMS") || draft.channel().equals("WHATSAPP");
		boolean needsSubject = !short_;
		if (draft.subject() == null || draft.subject().isBlank()) {
			if (needsSubject) {
				errors.add(new Problems.FieldError("subject", "is required for " + draft.channel()));
			}
		}
		else {
			check("subject", draft.subject(), kind, SUBJECT_MAX, errors);
			if (draft.subject().contains("\n")) {
				errors.add(new Problems.FieldError("subject", "is one line"));
			}
		}
		if (draft.body() == null || draft.body().isBlank()) {
			errors.add(new Problems.FieldError("body", "is required"));
		}
		else {
			check("body", draft.body(), kind, short_ ? SHORT_MAX : BODY_MAX, errors);
		}
		return errors;
	}

	private static void check(String field, String text, Kinds.Kind kind, int max, List<Problems.FieldError> errors) {
		if (text.length() > max) {
			errors.add(new Problems.FieldError(field, "is longer than " + max + " characters"));
			return;
		}
		com.samskivert.mustache.Template template;
		try {
			template = MUSTACHE.compile(text);
		}
		catch (UnsupportedOperationException include) {
			errors.add(new Problems.FieldError(field, "includes another template ({{>…}}): not allowed"));
			return;
		}
		catch (MustacheException ex) {
			errors.add(new Problems.FieldError(field, "is not a template: " + ex.getMessage()));
			return;
		}
		Set<String> unknown = new LinkedHashSet<>();
		boolean[] includes = { false };
		template.visit(new Mustache.Visitor() {
			@Override
			public void visitText(String text) {
			}

			@Override
			public void visitVariable(String name) {
				known(name);
			}

			@Override
			public boolean visitInclude(String name) {
				includes[0] = true;
				return false;
			}

			@Override
			public boolean visitSection(String name) {
				known(name);
				return true;
			}

			@Override
			public boolean visitInvertedSection(String name) {
				known(name);
				return true;
			}

			private void known(String name) {
				if (!kind.variables().contains(name)) {
					unknown.add(name);
				}
			}
		});
		if (includes[0]) {
			errors.add(new Problems.FieldError(field, "includes another template ({{>…}}): not allowed"));
			return;
		}
		if (!unknown.isEmpty()) {
			errors.add(new Problems.FieldError(field, "names variables " + kind.name() + " does not have: " + unknown
					+ "; it has " + kind.variables()));
			return;
		}
		Map<String, String> empty = new HashMap<>();
		kind.variables().forEach(name -> empty.put(name, ""));
		for (Map<String, String> values : List.of(kind.sample(), empty)) {
			try {
				String rendered = template.execute(values);
				if (rendered.length() > max) {
					errors.add(new Problems.FieldError(field, "renders longer than " + max + " characters"));
					return;
				}
			}
			catch (RuntimeException ex) {
				errors.add(new Problems.FieldError(field, "does not render: " + ex.getMessage()));
				return;
			}
		}
	}

	/** Every template in use: saved ones and the demo ones no one replaced, by id. */
	Flux<Template> inUse() {
		Map<String, Template> all = new java.util.TreeMap<>();
		this.demo.forEach((id, draft) -> all.put(id, new Template(id, draft.kind(), draft.channel(), draft.language(), 0,
				draft.subject(), draft.body(), null, "demo")));
		this.saved.forEach(all::put);
		return Flux.fromIterable(all.values());
	}

	/** The template in use for exactly this kind, channel and language (version 0: the demo's); empty when it falls back. */
	Mono<Template> current(String kind, String channel, String language) {
		String id = Template.idOf(kind, channel, language);
		return this.mongo.findById(id, Template.class).switchIfEmpty(Mono.defer(() -> {
			Draft shipped = this.demo.get(id);
			return shipped == null ? Mono.empty()
					: Mono.just(new Template(id, kind, channel, language, 0, shipped.subject(), shipped.body(), null, "demo"));
		}));
	}

	Flux<Template.Version> versions(String kind, String channel, String language) {
		return this.mongo.find(Query.query(Criteria.where("kind").is(kind).and("channel").is(channel).and("language")
			.is(language)).with(Sort.by(Sort.Direction.DESC, "version")), Template.Version.class);
	}

	/**
	 * Saves a new version (422 with every reason when it would not render; 409 when {@code basedOn}
	 * is given and another version was saved since).
	 */
	Mono<Template> save(Draft draft, String by, Integer basedOn) {
		List<Problems.FieldError> errors = check(draft);
		if (!errors.isEmpty()) {
			return Mono.error(Problems.unprocessable(errors));
		}
		String id = Template.idOf(draft.kind(), draft.channel(), draft.language());
		return this.mongo.findById(id, Template.class).map(Template::version).defaultIfEmpty(0).flatMap(current -> {
			if (basedOn != null && basedOn != current) {
				return Mono.<Template>error(Problems.conflict("Version " + current + " was saved since version " + basedOn
						+ "; look at it and save again."));
			}
			Template next = new Template(id, draft.kind(), draft.channel(), draft.language(), current + 1,
					draft.subject() == null ? "" : draft.subject(), draft.body(), this.clock.instant(), by);
			// the version first (its id is unique: two saves of the same version, one wins), then the one in use
			return this.mongo.insert(next.asVersion())
				.onErrorMap(DuplicateKeyException.class, again -> Problems.conflict(
						"Another version " + next.version() + " was saved at the same time; look at it and save again."))
				.then(this.mongo.save(next))
				.doOnNext(stored -> this.saved.put(stored.id(), stored));
		});
	}

	/** What a draft (or the template in use, when it gives no text) renders to with these variables (missing: the kind's sample). */
	Rendered preview(Draft draft, Map<String, String> variables) {
		List<Problems.FieldError> errors = check(draft);
		if (!errors.isEmpty()) {
			throw Problems.unprocessable(errors);
		}
		Map<String, String> values = new HashMap<>(Kinds.of(draft.kind()).sample());
		if (variables != null) {
			variables.forEach((name, value) -> {
				if (!values.containsKey(name)) {
					throw unknownVariable(draft.kind(), name);
				}
				values.put(name, value == null ? "" : value);
			});
		}
		return new Rendered(execute(draft.subject(), values).strip(), execute(draft.body(), values).strip());
	}

	private static ErrorResponseException unknownVariable(String kind, String name) {
		return Problems.unprocessable("variables", kind + " has no variable '" + name + "'; it has " + Kinds.of(kind).variables());
	}

}
