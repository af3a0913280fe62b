package id.mppdigital.problems;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A service's own problems (RFC 9457), each with a stable {@code type} under {@link #TYPE_BASE}.
 * Field-level problems list their fields in {@code errors}, the same shape as request validation
 * ({@link ProblemHandler}).
 */
public final class Problems {

	/** Every problem type of the platform is this plus a kind, e.g. {@code .../problems/not-found}. */
	public static final String TYPE_BASE = "https://mppdigital.id/problems/";

	private Problems() {
	}

	/** One field error: the JSON path of the field and what is wrong with it. */
	public record FieldError(String field, String message) {
	}

	public static ErrorResponseException notFound(String detail) {
		return problem(HttpStatus.NOT_FOUND, "not-found", detail, List.of());
	}

	public static ErrorResponseException conflict(String detail) {
		return problem(HttpStatus.CONFLICT, "conflict", detail, List.of());
	}

	/** 503: something this service depends on cannot answer now; the client may repeat the request later. */
	public static ErrorResponseException unavailable(String detail) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", detail, List.of());
	}

	/** 429: the caller used up a limit; {@code Retry-After} says when it may try again. */
	public static ErrorResponseException tooMany(String detail, java.time.Duration retryAfter) {
		ErrorResponseException problem = problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", detail, List.of());
		problem.getHeaders().set(org.springframework.http.HttpHeaders.RETRY_AFTER,
				Long.toString(Math.max(1, retryAfter.toSeconds())));
		return problem;
	}

	public static ErrorResponseException forbidden(String detail) {
		return problem(HttpStatus.FORBIDDEN, "forbidden", detail, List.of());
	}

	/** 400: a request parameter outside what the API accepts, checked beyond its annotations. */
	public static ErrorResponseException invalid(String field, String message) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-request", "The request is not valid.",
				List.of(new FieldError(field, message)));
	}

	/** 422: well-formed, but contradicts what the service holds (unknown agency, overlapping validity...). */
	public static ErrorResponseException unprocessable(String field, String message) {
		return unprocessable(List.of(new FieldError(field, message)));
	}

	public static ErrorResponseException unprocessable(List<FieldError> errors) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable", "The request contradicts what is recorded.", errors);
	}

	/** A problem of any status and kind (under {@link #TYPE_BASE}) the helpers above do not cover. */
	public static ErrorResponseException of(HttpStatus status, String kind, String detail) {
		return problem(status, kind, detail, List.of());
	}

	static ErrorResponseException problem(HttpStatus status, String kind, String detail, List<FieldError> errors) {
		return new ErrorResponseException(status, detail(status, kind, detail, errors), null);
	}

	/** The kind of a status without one of its own: {@code not-found}, {@code internal-server-error}... */
	static String kind(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known == null) ? "error" : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
	}

	/** The status's reason phrase, {@code Not Found}, or {@code Error} for a status without one. */
	static String reason(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known == null) ? "Error" : known.getReasonPhrase();
	}

	static ProblemDetail detail(HttpStatus status, String kind, String detail, List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + kind));
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors);
		}
		return problem;
	}

}
