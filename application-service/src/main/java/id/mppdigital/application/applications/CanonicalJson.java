package id.mppdigital.application.applications;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One text for one JSON value, whatever order its fields came in and however its numbers were
 * written ({@code 1}, {@code 1.0} and {@code 1e0} are the same number): object fields sorted by
 * name, no white space, numbers in their shortest plain decimal form, strings escaped as JSON
 * (in the spirit of RFC 8785). What a fingerprint of a form is computed from.
 */
final class CanonicalJson {

	private CanonicalJson() {
	}

	static String of(JsonNode value) {
		StringBuilder text = new StringBuilder();
		write(value, text);
		return text.toString();
	}

	private static void write(JsonNode value, StringBuilder text) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			text.append("null");
		}
		else if (value.isObject()) {
			Map<String, JsonNode> sorted = new TreeMap<>();
			value.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
			text.append('{');
			boolean first = true;
			for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
				text.append(first ? "" : ",").append(JsonNodeFactory.instance.stringNode(field.getKey()).toString()).append(':');
				write(field.getValue(), text);
				first = false;
			}
			text.append('}');
		}
		else if (value.isArray()) {
			text.append('[');
			for (int i = 0; i < value.size(); i++) {
				text.append(i == 0 ? "" : ",");
				write(value.get(i), text);
			}
			text.append(']');
		}
		else if (value.isNumber()) {
			java.math.BigDecimal number = value.decimalValue().stripTrailingZeros();
			text.append(number.signum() == 0 ? "0" : number.toPlainString());
		}
		else if (value.isString()) {
			text.append(value.toString());
		}
		else {
			text.append(value.asString());
		}
	}

}
