package id.mppdigital.application.applications;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.application.applications.Application.Step;
import id.mppdigital.application.privacy.FormVault;
import id.mppdigital.defaults.Paging;
import id.mppdigital.defaults.Slug;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Applications over HTTP, at the root of the service: the gateway strips {@code /api/applications}
 * ({@code POST /api/applications} arrives as {@code POST /}, {@code GET /api/applications/{id}} as
 * {@code GET /{id}}), and {@code Location} headers carry the prefix back (X-Forwarded-Prefix). Who may call what is decided in {@link Applications} from the token; the
 * bodies carry only what the caller may set (an applicant, agency, state or version in a body is
 * ignored: they come from the token, the standard and the lifecycle).
 */
@RestController
class ApplicationController {


	private final Applications applications;

	private final JsonMapper json;

	private final FormVault vault;

	ApplicationController(Applications applications, JsonMapper json, FormVault vault) {
		this.applications = applications;
		this.json = json;
		this.vault = vault;
	}

	/** What a citizen submits. */
	record SubmitApplication(@NotBlank @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String mppId,
			@NotBlank @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String standardId, @NotNull JsonNode form) {
	}

	/**
	 * What an officer or agency system reports (or the applicant: a withdrawal): the same fields as an
	 * agency's report on Kafka (contracts/events/mpp.agency.reports.v1.schema.json).
	 */
	record ChangeState(@NotNull State state, @Size(max = 1000) String note, @Size(max = 100) String agencyReference,
			@Size(max = 1000) String reason, @Size(max = 50) List<@Valid Revision> revision,
			@Size(max = 1000) String collection) {
	}

	/** One thing the citizen must fix. */
	record Revision(@Size(max = 200) String field, @NotBlank @Size(max = 1000) String message) {
	}

	record ApplicationView(String id, String mppId, String standardId, int standardVersion, String agencyId,
			JsonNode form, State state, List<Step> history, Instant submittedAt, LocalDate dueDate,
			String agencyReference, Receipt receipt) {
	}

	record ApplicationList(List<ApplicationView> items, int page, int size) {
	}

	/** What a receipt proves, to anyone holding it: no form, no personal data. */
	record VerifiedReceipt(String trackingNumber, String mppId, String standardId, int standardVersion,
			String agencyId, Instant submittedAt, LocalDate dueDate, State state) {
	}

	/** Printed (or shown as a QR code) for the citizen: with the tracking number it proves the submission. */
	record Receipt(String trackingNumber, String verificationCode, String verifyUrl) {
	}

	@Operation(summary = "Submit an application")
	@ApiResponse(responseCode = "201", description = "Submitted; Location names it")
	@ApiResponse(responseCode = "200", description = "Submitted before under the same Idempotency-Key: the same application")
	@PostMapping("/")
	@Allowed({ Caller.CITIZEN })
	Mono<ResponseEntity<ApplicationView>> submit(Caller caller, @Valid @RequestBody SubmitApplication request,
			@RequestHeader(name = "Idempotency-Key", required = false)
			@Size(min = 8, max = 100) @Pattern(regexp = "[\\x21-\\x7e]+") String idempotencyKey,
			ServerWebExchange exchange) {
		return this.applications
			.submit(caller, request.mppId(), request.standardId(), request.form(), idempotencyKey)
			.map(submitted -> {
				// the public URL: the gateway's prefix (X-Forwarded-Prefix) becomes the context path
				URI location = URI.create(exchange.getRequest().getPath().contextPath().value() + "/"
						+ submitted.application().id());
				return (submitted.created() ? ResponseEntity.created(location) : ResponseEntity.ok().location(location))
					.body(view(submitted.application()));
			});
	}

	@Operation(summary = "Read an application: a citizen's own, or one of the officer's agency at their MPP")
	@GetMapping("/{id}")
	Mono<ApplicationView> one(Caller caller, @PathVariable String id) {
		return this.applications.find(caller, id).map(this::view);
	}

	@Operation(summary = "List applications: a citizen's own, or those of the officer's agency at their MPP")
	@GetMapping("/")
	Mono<ApplicationList> list(Caller caller, @RequestParam(required = false) State state,
			@RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(Paging.MAX_SIZE) int size) {
		return this.applications.list(caller, state, page, size)
			.map(found -> new ApplicationList(found.stream().map(this::view).toList(), page, size));
	}

	/** Public: anyone (a bank, an employer, an officer) checks a receipt a citizen shows them. */
	@Operation(summary = "Verify a receipt with its code")
	@GetMapping("/receipts/{id}")
	Mono<VerifiedReceipt> verify(@PathVariable String id,
			@RequestParam @NotBlank @Size(max = 40) String code) {
		return this.applications.verifyReceipt(id, code)
			.map(found -> new VerifiedReceipt(found.id(), found.mppId(), found.standardId(), found.standardVersion(),
					found.agencyId(), found.submittedAt(), found.dueDate(), found.state()));
	}

	@Operation(summary = "Move an application to its next state")
	@ApiResponse(responseCode = "200", description = "The application in its new state")
	@ApiResponse(responseCode = "409", description = "The application has moved since, or the move is not allowed from its state")
	@PostMapping("/{id}/state")
	@Allowed({ Caller.OFFICER, Caller.AGENCY_SYSTEM, Caller.CITIZEN })
	Mono<ApplicationView> move(Caller caller, @PathVariable String id, @Valid @RequestBody ChangeState request,
			@RequestHeader(name = "Idempotency-Key", required = false)
			@Size(min = 8, max = 100) @Pattern(regexp = "[\\x21-\\x7e]+") String idempotencyKey) {
		List<Application.Revision> revision = request.revision() == null ? null
				: request.revision().stream().map(fix -> new Application.Revision(fix.field(), fix.message())).toList();
		return this.applications
			.move(caller, id, new Applications.ChangeRequest(request.state(), request.note(), request.agencyReference(),
					request.reason(),
					revision, request.collection(), idempotencyKey))
			.map(this::view);
	}


	private ApplicationView view(Application application) {
		return new ApplicationView(application.id(), application.mppId(), application.standardId(),
				application.standardVersion(), application.agencyId(),
				this.json.readTree(this.vault.open(application.id(), application.form())),
				application.state(), application.history(), application.submittedAt(), application.dueDate(),
				application.agencyReference(), application.receiptCode() == null ? null
						: new Receipt(application.id(), application.receiptCode(), "/api/applications/receipts/"
								+ application.id() + "?code=" + application.receiptCode()));
	}

}
