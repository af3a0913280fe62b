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
 * bundled with the validator: nothing is fetched) describing an object, referring only to its own
 * parts, and validates applications against it.
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
		nonLocal(form, "applicationForm", problems);
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

	/**
	 * A form is one self-contained document: a {@code $ref} (or {@code $dynamicRef}) may only point
	 * inside it ({@code #/$defs/alamat}), and no {@code $id} may give a part of it another address.
	 * Anything else would make the validator resolve {@code classpath:}, {@code file:} or
	 * {@code http:} addresses while an administrator saves a draft, and again wherever the form is used.
	 */
	private static void nonLocal(JsonNode node, String path, List<Problems.FieldError> problems) {
		if (node.isObject()) {
			for (var field : node.properties()) {
				String at = path + "/" + field.getKey();
				JsonNode value = field.getValue();
				boolean reference = field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef");
				if (reference && value.isString() && !value.asString().startsWith("#")) {
					problems.add(new Problems.FieldError(at,
							"may only refer to a part of this form (\"#/$defs/...\"), not to '" + value.asString() + "'"));
				}
				else if (field.getKey().equals("$id") && value.isString() && !value.asString().startsWith("#")) {
					problems.add(new Problems.FieldError(at, "is not allowed: a form is one document without addresses of its own"));
				}
				else {
					nonLocal(value, at, problems);
				}
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				nonLocal(node.get(i), path + "/" + i, problems);
			}
		}
	}

	private static String pointer(Error error) {
		String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
		return location.startsWith("$") ? location.substring(1) : location;
	}

}
