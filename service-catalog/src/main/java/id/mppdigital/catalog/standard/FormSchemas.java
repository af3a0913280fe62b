package id.mppdigital.catalog.standard;

import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import id.mppdigital.problems.Problems;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Checks that an application form is a valid JSON Schema (draft 2020-12, against the meta-schema
 * bundled with the validator: nothing is fetched) describing an object, and validates applications
 * against it.
 */
@Component
class FormSchemas {

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Schema metaSchema = this.registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

	/** What is wrong with this form schema, as field errors under {@code applicationForm}; empty when valid. */
	public List<Problems.FieldError> problems(JsonNode form) {
		List<Problems.FieldError> problems = new ArrayList<>();
		if (form == null || !form.isObject()) {
			problems.add(new Problems.FieldError("applicationForm", "must be a JSON Schema object"));
			return problems;
		}
		for (Error error : this.metaSchema.validate(form)) {
			problems.add(new Problems.FieldError("applicationForm" + pointer(error), error.getMessage()));
		}
		if (!"object".equals(form.path("type").asString(""))) {
			problems.add(new Problems.FieldError("applicationForm.type", "must be \"object\": a form is a set of fields"));
		}
		if (problems.isEmpty()) {
			try {
				this.registry.getSchema(form).validate(form.deepCopy());
			}
			catch (SchemaException ex) {
				problems.add(new Problems.FieldError("applicationForm", ex.getMessage()));
			}
		}
		return problems;
	}

	private static String pointer(Error error) {
		String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
		return location.startsWith("$") ? location.substring(1) : location;
	}

}
