package id.mppdigital.notification.templates;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Platform administrators manage what citizens are told ({@code /api/notifications/templates}
 * through the gateway): the kinds and their variables, the templates in use, each one's versions, a
 * new version (checked: 422 with every reason when it would not render), and a preview of a draft
 * or of the template in use with sample or given values.
 */
@RestController
class TemplateController {

	record View(String kind, String channel, String language, int version, String subject, String body,
			Instant savedAt, String savedBy) {
	}

	/** @param basedOn the version this one was edited from: when another was saved since, 409 */
	record Edit(@Size(max = Templates.SUBJECT_MAX) String subject, @NotBlank @Size(max = Templates.BODY_MAX) String body,
			Integer basedOn) {
	}

	/** A draft to preview (no subject and body: the template in use), with values for some variables. */
	record Preview(@NotBlank String kind, @NotBlank String channel, @NotBlank String language,
			@Size(max = Templates.SUBJECT_MAX) String subject, @Size(max = Templates.BODY_MAX) String body,
			Map<String, String> variables) {
	}

	private final Templates templates;

	TemplateController(Templates templates) {
		this.templates = templates;
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "List the kinds of message and the variables each may use")
	@GetMapping("/templates/kinds")
	List<Kinds.Kind> kinds(Caller caller) {
		return List.copyOf(Kinds.ALL.values());
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "List the templates in use")
	@GetMapping("/templates")
	Flux<View> inUse(Caller caller) {
		return this.templates.inUse().map(TemplateController::view);
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "Read a template's current version")
	@GetMapping("/templates/{kind}/{channel}/{language}")
	Mono<View> current(Caller caller, @PathVariable String kind, @PathVariable String channel,
			@PathVariable String language) {
		known(kind, channel, language);
		return this.templates.current(kind, channel, language)
			.map(TemplateController::view)
			.switchIfEmpty(Mono.error(() -> Problems.notFound("No template of its own for " + kind + " on " + channel
					+ " in " + language + ": it uses the inbox's (or for WhatsApp the SMS one).")));
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "List a template's versions")
	@GetMapping("/templates/{kind}/{channel}/{language}/versions")
	Flux<View> versions(Caller caller, @PathVariable String kind, @PathVariable String channel,
			@PathVariable String language) {
		known(kind, channel, language);
		return this.templates.versions(kind, channel, language)
			.map(version -> new View(version.kind(), version.channel(), version.language(), version.version(),
					version.subject(), version.body(), version.savedAt(), version.savedBy()));
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "Save a new version of a template")
	@ApiResponse(responseCode = "200", description = "The version saved")
	@ApiResponse(responseCode = "409", description = "Another version was saved since the one this is based on")
	@PutMapping("/templates/{kind}/{channel}/{language}")
	Mono<View> save(Caller caller, @PathVariable String kind, @PathVariable String channel,
			@PathVariable String language, @Valid @RequestBody Edit edit) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN);
		known(kind, channel, language);
		return this.templates.save(new Templates.Draft(kind, channel, language, edit.subject(), edit.body()),
				caller.subject(), edit.basedOn()).map(TemplateController::view);
	}

	@Allowed({ Caller.PLATFORM_ADMIN })
	@Operation(summary = "Render a template with example variables")
	@PostMapping("/templates/preview")
	Mono<Templates.Rendered> preview(Caller caller, @Valid @RequestBody Preview preview) {
		known(preview.kind(), preview.channel(), preview.language());
		Mono<Templates.Draft> draft = preview.body() != null
				? Mono.just(new Templates.Draft(preview.kind(), preview.channel(), preview.language(), preview.subject(),
						preview.body()))
				: this.templates.inUse()
					.filter(used -> used.id().equals(Template.idOf(preview.kind(), preview.channel(), preview.language())))
					.next()
					.map(used -> new Templates.Draft(used.kind(), used.channel(), used.language(), used.subject(), used.body()))
					.switchIfEmpty(Mono.error(() -> Problems.unprocessable("body",
							"is required: there is no template of its own for this channel to preview")));
		return draft.map(found -> this.templates.preview(found, preview.variables()));
	}

	private static void known(String kind, String channel, String language) {
		if (Kinds.of(kind) == null || !Kinds.CHANNELS.contains(channel) || !Kinds.LANGUAGES.contains(language)) {
			throw Problems.notFound("No template " + kind + " on " + channel + " in " + language + ": kinds "
					+ Kinds.ALL.keySet() + ", channels " + Kinds.CHANNELS + ", languages " + Kinds.LANGUAGES + ".");
		}
	}

	private static View view(Template template) {
		return new View(template.kind(), template.channel(), template.language(), template.version(), template.subject(),
				template.body(), template.savedAt(), template.savedBy());
	}

}
