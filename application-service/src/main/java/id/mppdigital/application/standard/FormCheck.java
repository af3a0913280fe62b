package id.mppdigital.application.standard;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import id.mppdigital.defaults.MppTime;
import id.mppdigital.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Checks a submitted form against the platform's rules for every form ({@link FormRules}), the
 * application form schema of the standard's version (JSON Schema 2020-12; nothing is fetched), and
 * every NIK in it against the NIK's structure ({@link Nik}). A version never changes, so its compiled
 * schema is kept.
 */
@Component
public class FormCheck {

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

	private final Map<String, JsonNode> declarations = new ConcurrentHashMap<>();

	/** A field that holds a NIK: {@code nik}, {@code NIK}, {@code nikAyah}, {@code nik_ibu}. */
	static final Pattern NIK_FIELD = Pattern.compile("(nik|NIK)([A-Z_].*)?");

	private final JsonMapper json;

	private final Clock clock;

	FormCheck(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
	}

	/**
	 * The form as it is checked, stored and compared: every text and field name in Unicode NFC
	 * ({@link FormRules}).
	 */
	public JsonNode normalised(JsonNode form) {
		return FormRules.normalised(form);
	}

	/**
	 * What is wrong with the (normalised) form, as field errors under {@code form}; empty when it is
	 * valid. First the platform's own rules ({@link FormRules}: declared fields only, plain text,
	 * bounded sizes), then the standard's schema and the NIKs.
	 */
	public List<Problems.FieldError> problems(KnownStandard standard, JsonNode form) {
		List<Problems.FieldError> problems = new ArrayList<>();
		if (form == null || !form.isObject()) {
			problems.add(new Problems.FieldError("form", "must be an object with the form's fields"));
			return problems;
		}
		JsonNode declared = this.declarations.computeIfAbsent(standard.id(), id -> this.json.readTree(standard.form()));
		problems.addAll(FormRules.problems(declared, form));
		if (!problems.isEmpty()) {
			// what the standard asks is checked on a form the platform accepts
			return problems;
		}
		Schema schema = this.schemas.computeIfAbsent(standard.id(), id -> this.registry.getSchema(declared));
		for (Error error : schema.validate(form)) {
			String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
			problems.add(new Problems.FieldError("form" + (location.startsWith("$") ? location.substring(1) : location),
					error.getMessage()));
		}
		checkNiks(form, "form", problems, MppTime.nationalToday(this.clock));
		return problems;
	}

	/**
	 * Every NIK in the form, whatever the standard's schema says of it (most say only 16 digits): a
	 * field named {@code nik}, or {@code nik} followed by more of the name ({@code nikAyah},
	 * {@code nik_ibu}), at any depth. A field the schema already refused is not told twice.
	 */
	private static void checkNiks(JsonNode node, String path, List<Problems.FieldError> problems, LocalDate today) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				String at = path + "/" + field.getKey();
				if (NIK_FIELD.matcher(field.getKey()).matches() && field.getValue().isString()
						&& problems.stream().noneMatch(problem -> problem.field().equals(at))) {
					Nik.problem(field.getValue().asString(), today)
						.ifPresent(problem -> problems.add(new Problems.FieldError(at, "not a valid NIK: " + problem)));
				}
				else {
					checkNiks(field.getValue(), at, problems, today);
				}
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				checkNiks(node.get(i), path + "/" + i, problems, today);
			}
		}
	}

}
