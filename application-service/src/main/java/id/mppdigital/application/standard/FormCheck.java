package id.mppdigital.application.standard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import id.mppdigital.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Checks a submitted form against the application form schema of the standard's version (JSON Schema
 * 2020-12; nothing is fetched). A version never changes, so its compiled schema is kept.
 */
@Component
public class FormCheck {

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

	private final JsonMapper json;

	FormCheck(JsonMapper json) {
		this.json = json;
	}

	/** What is wrong with the form, as field errors under {@code form}; empty when it is valid. */
	public List<Problems.FieldError> problems(KnownStandard standard, JsonNode form) {
		List<Problems.FieldError> problems = new ArrayList<>();
		if (form == null || !form.isObject()) {
			problems.add(new Problems.FieldError("form", "must be an object with the form's fields"));
			return problems;
		}
		Schema schema = this.schemas.computeIfAbsent(standard.id(),
				id -> this.registry.getSchema(this.json.readTree(standard.form())));
		for (Error error : schema.validate(form)) {
			String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
			problems.add(new Problems.FieldError("form" + (location.startsWith("$") ? location.substring(1) : location),
					error.getMessage()));
		}
		return problems;
	}

}
