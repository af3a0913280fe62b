package id.mppdigital.problems;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;

/**
 * How every module reads JSON, and what it tells a client whose JSON it could not take. A key given
 * twice in one object ({@code "mppId"} twice: which one did the client mean, which one did a proxy
 * or a signature check see?) is refused, not resolved by "the last one wins". Problems name the
 * field and what it accepts: the allowed values of an enumeration, the type expected, the nesting
 * limit that was passed.
 */
public final class StrictJson implements JsonMapperBuilderCustomizer {

	/** Deepest nesting of objects and arrays a request may have (Jackson's own limit). */
	public static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

	@Override
	public void customize(JsonMapper.Builder builder) {
		builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

	/** What was wrong with a request body, as a field error where a field can be named. */
	public static Problems.FieldError describe(JacksonException ex) {
		String field = path(ex);
		if (ex instanceof StreamConstraintsException) {
			return new Problems.FieldError(field, "the JSON is nested deeper than the " + MAX_DEPTH
					+ " levels of objects and arrays this API accepts, or passes another size limit");
		}
		String message = ex.getOriginalMessage() == null ? "" : ex.getOriginalMessage();
		if (message.startsWith("Duplicate Object property")) {
			return new Problems.FieldError(field, "given more than once in the same object; give each field once");
		}
		if (ex instanceof InvalidFormatException invalid && invalid.getTargetType() != null
				&& invalid.getTargetType().isEnum()) {
			return new Problems.FieldError(field, "must be one of " + Arrays.stream(invalid.getTargetType().getEnumConstants())
				.map(Object::toString)
				.collect(Collectors.joining(", ")));
		}
		if (ex instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
			return new Problems.FieldError(field, "must be " + expected(mismatched.getTargetType()));
		}
		return new Problems.FieldError(field, "is not well-formed JSON");
	}

	/** The JSON path of the field the parser was at, {@code form.address[2].city}; "" for the document. */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		List<JacksonException.Reference> references = ex.getPath();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		if (path.isEmpty() && ex.getOriginalMessage() != null
				&& ex.getOriginalMessage().startsWith("Duplicate Object property")) {
			// the parser names the key, in quotes, but has no databind path
			String message = ex.getOriginalMessage();
			int open = message.indexOf('"');
			int close = message.indexOf('"', open + 1);
			if (open >= 0 && close > open) {
				path.append(message, open + 1, close);
			}
		}
		return path.toString();
	}

	private static String expected(Class<?> type) {
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "an object";
	}

}
