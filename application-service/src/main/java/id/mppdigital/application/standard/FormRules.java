package id.mppdigital.application.standard;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import id.mppdigital.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the platform asks of every form, whatever a standard's schema allows: only the fields the
 * form declares (a schema without {@code additionalProperties: false} would otherwise let any amount
 * of anything through to the agency), text in Unicode NFC without control or bidirectional-override
 * characters (no NUL, no CR/LF to forge a second line in an agency's file, no U+202E to make
 * {@code exe.pdf} read as {@code fdp.exe}), no blank values, and bounded sizes.
 */
final class FormRules {

	/** Longest text value, in characters: a long address fits; a document does not. */
	static final int MAX_TEXT = 1_000;

	/** Longest field name. */
	static final int MAX_NAME = 64;

	/** Most values (fields and array elements, at any depth) in one form. */
	static final int MAX_VALUES = 500;

	/** Deepest nesting of objects and arrays within the form. */
	static final int MAX_DEPTH = 8;

	private FormRules() {
	}

	/** The form with every text and field name in NFC, so that the same text is always the same bytes. */
	static JsonNode normalised(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isString()) {
			return JsonNodeFactory.instance.stringNode(nfc(node.asString()));
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				copy.set(nfc(field.getKey()), normalised(field.getValue()));
			}
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach(element -> copy.add(normalised(element)));
			return copy;
		}
		return node;
	}

	private static String nfc(String text) {
		return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
	}

	/** What the form breaks of these rules, as field errors under {@code form}. */
	static List<Problems.FieldError> problems(JsonNode schema, JsonNode form) {
		List<Problems.FieldError> problems = new ArrayList<>();
		int[] values = { 0 };
		check(schema, List.of(schema), form, "form", 0, values, problems);
		if (values[0] > MAX_VALUES) {
			problems.add(new Problems.FieldError("form", "has " + values[0] + " values; at most " + MAX_VALUES + " are accepted"));
		}
		return problems;
	}

	private static void check(JsonNode root, List<JsonNode> schemas, JsonNode value, String path, int depth,
			int[] values, List<Problems.FieldError> problems) {
		values[0]++;
		if (value.isString()) {
			text(value.asString(), path, problems);
			return;
		}
		if (!value.isObject() && !value.isArray()) {
			return;
		}
		if (depth >= MAX_DEPTH) {
			problems.add(new Problems.FieldError(path, "is nested deeper than the " + MAX_DEPTH + " levels a form may have"));
			return;
		}
		Declared declared = declared(root, schemas);
		if (value.isObject()) {
			for (Map.Entry<String, JsonNode> field : value.properties()) {
				String name = field.getKey();
				String at = path + "/" + name;
				if (name.length() > MAX_NAME || !clean(name)) {
					problems.add(new Problems.FieldError(path, "has a field name that is too long or not plain text"));
					continue;
				}
				List<JsonNode> fieldSchemas = declared.forField(name);
				if (fieldSchemas == null) {
					problems.add(new Problems.FieldError(at, "is not a field of this form"));
					continue;
				}
				check(root, fieldSchemas, field.getValue(), at, depth + 1, values, problems);
			}
		}
		else {
			for (int i = 0; i < value.size(); i++) {
				check(root, declared.forItem(i), value.get(i), path + "/" + i, depth + 1, values, problems);
			}
		}
	}

	private static void text(String text, String path, List<Problems.FieldError> problems) {
		if (text.isBlank()) {
			problems.add(new Problems.FieldError(path, "must not be blank; leave the field out instead"));
		}
		else if (text.length() > MAX_TEXT) {
			problems.add(new Problems.FieldError(path, "is " + text.length() + " characters long; at most " + MAX_TEXT
					+ " are accepted"));
		}
		else if (!clean(text)) {
			problems.add(new Problems.FieldError(path,
					"contains a control character (such as a line break or NUL) or a right-to-left override; send plain text"));
		}
	}

	/** No C0/C1 controls (line breaks and tabs included), no bidirectional embeddings, overrides or isolates, no lone surrogates. */
	static boolean clean(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
				return false;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	/** The fields (and array items) the schemas that apply at one place of the form declare. */
	private record Declared(Map<String, List<JsonNode>> properties, List<Map.Entry<Pattern, JsonNode>> patterns,
			List<JsonNode> items, List<List<JsonNode>> prefixItems) {

		List<JsonNode> forField(String name) {
			List<JsonNode> found = new ArrayList<>(this.properties.getOrDefault(name, List.of()));
			for (Map.Entry<Pattern, JsonNode> pattern : this.patterns) {
				if (pattern.getKey().matcher(name).find()) {
					found.add(pattern.getValue());
				}
			}
			return (this.properties.containsKey(name) || !found.isEmpty()) ? found : null;
		}

		List<JsonNode> forItem(int index) {
			return (index < this.prefixItems.size()) ? this.prefixItems.get(index) : this.items;
		}

	}

	private static Declared declared(JsonNode root, List<JsonNode> schemas) {
		Declared declared = new Declared(new java.util.LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(),
				new ArrayList<>());
		Set<JsonNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (JsonNode schema : schemas) {
			collect(root, schema, declared, seen);
		}
		return declared;
	}

	/** Follows local references and the combinators (allOf, anyOf, oneOf, if/then/else) to what they declare. */
	private static void collect(JsonNode root, JsonNode schema, Declared declared, Set<JsonNode> seen) {
		if (schema == null || !schema.isObject() || !seen.add(schema)) {
			return;
		}
		String ref = schema.path("$ref").asString("");
		if (ref.startsWith("#")) {
			collect(root, root.at(ref.substring(1)), declared, seen);
		}
		for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
			schema.path(combinator).forEach(sub -> collect(root, sub, declared, seen));
		}
		for (String branch : List.of("then", "else")) {
			collect(root, schema.get(branch), declared, seen);
		}
		for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
			declared.properties().computeIfAbsent(property.getKey(), name -> new ArrayList<>()).add(property.getValue());
		}
		for (Map.Entry<String, JsonNode> pattern : schema.path("patternProperties").properties()) {
			try {
				declared.patterns().add(Map.entry(Pattern.compile(pattern.getKey()), pattern.getValue()));
			}
			catch (PatternSyntaxException ex) {
				// the catalog checked the schema; a pattern Java cannot read declares nothing
			}
		}
		if (schema.has("items")) {
			declared.items().add(schema.get("items"));
		}
		JsonNode prefix = schema.path("prefixItems");
		for (int i = 0; i < prefix.size(); i++) {
			if (declared.prefixItems().size() <= i) {
				declared.prefixItems().add(new ArrayList<>());
			}
			declared.prefixItems().get(i).add(prefix.get(i));
		}
	}

}
