package id.mppdigital.notification.templates;

import java.util.List;
import java.util.Map;

import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.notification.NotificationWebTests;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Platform administrators change what citizens are told: a new version of a template is used for
 * the next message; a template that names an unknown variable, does not compile, includes another or
 * is too long is refused at save time (422, nothing saved); versions are kept and a save based on an
 * old one is refused; a preview renders a draft; only platform administrators may.
 */
class TemplateTests extends NotificationWebTests {

	private final String admin = issuer.platformAdmin("admin-templates");

	@Test
	void aNewVersionIsUsedForTheNextMessageAndEveryVersionIsKept() throws Exception {
		String rina = issuer.citizen("c-tpl-rina");
		verifiedEmail(rina, "rina.tpl@warga.example");
		call("PUT", "/preferences", rina, Map.of("language", "en", "channels", List.of("EMAIL"))).expectStatus().isOk();
		String uri = "/templates/application.REJECTED/EMAIL/en";
		// none of its own yet: email uses the inbox's demo text
		call("GET", uri, this.admin, null).expectStatus().isNotFound();
		call("PUT", uri, this.admin, Map.of("subject", "About your application {{trackingNumber}}", "body",
				"We are sorry: {{service}} could not be granted.{{#reason}}\nReason: {{reason}}{{/reason}}"))
			.expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(1)
			.jsonPath("$.savedBy").isEqualTo("admin-templates");
		this.kafka.send(ContractExamples.record(STATE_CHANGED, "PMH-261204-TPXBQA22", ContractExamples.text(
				ContractExamples.first(STATE_CHANGED).put("applicant", "c-tpl-rina").put("applicationId", "PMH-261204-TPXBQA22")
					.put("eventId", "PMH-261204-TPXBQA22@2").put("state", "REJECTED").put("reason", "Dokumen tidak lengkap")))).get();
		await(() -> mailTo("rina.tpl@warga.example").size() >= 2);
		MimeMessage mail = mailTo("rina.tpl@warga.example").get(1);
		assertThat(mail.getSubject()).isEqualTo("About your application PMH-261204-TPXBQA22");
		String text = (String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent();
		assertThat(text.replace("\r\n", "\n")).contains("could not be granted.\nReason: Dokumen tidak lengkap");

		// the inbox keeps its own template (read in Bahasa Indonesia, the default)
		call("GET", "/inbox", rina, null).expectStatus().isOk().expectBody()
			.jsonPath("$.items[0].title").isEqualTo("Permohonan PMH-261204-TPXBQA22 ditolak");

		call("PUT", uri, this.admin, Map.of("subject", "Application {{trackingNumber}}", "body", "Not granted.", "basedOn", 1))
			.expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(2);
		// an edit of version 1 after version 2 was saved: refused, nothing saved
		call("PUT", uri, this.admin, Map.of("subject", "Stale", "body", "Stale edit.", "basedOn", 1))
			.expectStatus().isEqualTo(409);
		call("GET", uri + "/versions", this.admin, null).expectStatus().isOk().expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].version").isEqualTo(2)
			.jsonPath("$[1].body").isEqualTo("We are sorry: {{service}} could not be granted.{{#reason}}\nReason: {{reason}}{{/reason}}");
		call("GET", uri, this.admin, null).expectStatus().isOk().expectBody().jsonPath("$.body").isEqualTo("Not granted.");
	}

	@Test
	void aTemplateThatWouldNotRenderIsRefusedWhenItIsSavedAndNothingIsSaved() {
		String uri = "/templates/queue.CALLED/SMS/id";
		refused(uri, Map.of("body", "Nomor {{number}} ke loket {{counterr}}"), "body", "counterr");
		refused(uri, Map.of("body", "Nomor {{#number}}{{number}}"), "body", "not a template");
		refused(uri, Map.of("body", "{{>header}} Nomor {{number}}"), "body", "includes");
		refused(uri, Map.of("body", "x".repeat(1601)), "body", "1600");
		refused("/templates/queue.CALLED/EMAIL/id", Map.of("body", "Nomor {{number}}"), "subject", "required");
		refused("/templates/queue.CALLED/EMAIL/id", Map.of("subject", "{{^recall}}{{nope}}{{/recall}}", "body", "x"),
				"subject", "nope");
		call("GET", uri, this.admin, null).expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(0)
			.jsonPath("$.savedBy").isEqualTo("demo");
		call("GET", uri + "/versions", this.admin, null).expectStatus().isOk().expectBody().jsonPath("$.length()")
			.isEqualTo(0);
		call("PUT", "/templates/application.LOST/SMS/id", this.admin, Map.of("body", "x")).expectStatus().isNotFound();
	}

	private void refused(String uri, Map<String, Object> edit, String field, String why) {
		call("PUT", uri, this.admin, edit).expectStatus().isEqualTo(422)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo(field)
			.jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains(why));
	}

	@Test
	void aPreviewRendersADraftOrTheTemplateInUseWithTheValuesGiven() {
		call("POST", "/templates/preview", this.admin, Map.of("kind", "queue.TURN_NEAR", "channel", "WHATSAPP", "language",
				"en", "body", "{{number}} is {{position}} in line{{#service}} for {{service}}{{/service}}", "variables",
				Map.of("number", "B-007", "service", "")))
			.expectStatus().isOk().expectBody()
			.jsonPath("$.body").isEqualTo("B-007 is 2 in line");
		// the demo text in use, in Bahasa Indonesia, with the kind's sample values
		call("POST", "/templates/preview", this.admin, Map.of("kind", "application.NEEDS_REVISION", "channel", "INBOX",
				"language", "id"))
			.expectStatus().isOk().expectBody()
			.jsonPath("$.subject").isEqualTo("Permohonan PMH-261204-SMPLA22 perlu diperbaiki")
			.jsonPath("$.body").value(body -> assertThat((String) body).contains("\n- KTP: unggah ulang"));
		call("POST", "/templates/preview", this.admin, Map.of("kind", "queue.TURN_NEAR", "channel", "SMS", "language",
				"en", "body", "{{number}}", "variables", Map.of("nik", "3573010101010001")))
			.expectStatus().isEqualTo(422);
		call("GET", "/templates/kinds", this.admin, null).expectStatus().isOk().expectBody()
			.jsonPath("$[?(@.name == 'queue.CALLED')].variables[0]").isEqualTo("number");
		call("GET", "/templates", this.admin, null).expectStatus().isOk().expectBody()
			.jsonPath("$[?(@.kind == 'application.COMPLETED' && @.channel == 'SMS' && @.language == 'en')].version")
			.isEqualTo(0);
	}

	@Test
	void onlyPlatformAdministratorsManageTemplates() {
		String citizen = issuer.citizen("c-tpl-nobody");
		call("PUT", "/templates/queue.CALLED/SMS/id", citizen, Map.of("body", "{{number}}")).expectStatus().isForbidden();
		call("GET", "/templates", issuer.officer("o-tpl", "kota-probolinggo", "dukcapil"), null).expectStatus().isForbidden();
		this.client.get().uri("/templates").exchange().expectStatus().isUnauthorized();
	}

}
