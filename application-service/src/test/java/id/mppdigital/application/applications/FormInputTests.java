package id.mppdigital.application.applications;

import java.util.List;
import java.util.Map;

import id.mppdigital.application.ApplicationWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the platform accepts in any form, whatever the standard's schema says, and how it tells a
 * citizen's app what was wrong: undeclared fields, control and bidi characters, blank values and
 * oversized input are refused, naming the field; text is compared in NFC and forms by content, not
 * by the order of their fields; a citizen can submit only so many applications for one service in
 * a day.
 */
class FormInputTests extends ApplicationWebTests {

	@Autowired
	SubmissionQuota quota;

	private int applications(String token) {
		return ((List<?>) this.client.get().uri("/?size=100").headers(h -> h.setBearerAuth(token)).exchange()
			.expectStatus().isOk()
			.expectBody(Map.class).returnResult().getResponseBody().get("items")).size();
	}

	private void refused(String token, String form, String field, String says) {
		send(token, body(KTP, form), null)
			.expectStatus().isEqualTo(422)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[?(@.field == '" + field + "')].message")
			.value(messages -> assertThat(messages.toString()).as(form).contains(says));
	}

	@Test
	void onlyTheFieldsTheFormDeclaresAreTaken() {
		String citizen = issuer.citizen("c-extra");
		refused(citizen, "{\"nik\":\"3574010101900051\",\"nama\":\"Siti\",\"telepon\":\"081234567890\",\"extra\":\""
				+ "x".repeat(900) + "\"}", "form/extra", "not a field of this form");
		refused(citizen, "{\"nik\":\"3574010101900051\",\"nama\":\"Siti\",\"telepon\":\"081234567890\",\"alamat\":{\"kota\":\"X\"}}",
				"form/alamat", "not a field of this form");
		assertThat(applications(citizen)).isZero();
	}

	@Test
	void textIsPlainNotBlankAndBounded() {
		String citizen = issuer.citizen("c-text");
		String form = "{\"nik\":\"3574010101900052\",\"nama\":%s,\"telepon\":\"081234567890\"}";
		refused(citizen, form.formatted("\"Siti\\u0000Aminah\""), "form/nama", "control character");
		refused(citizen, form.formatted("\"Siti\\r\\nX-Injected: 1\""), "form/nama", "control character");
		refused(citizen, form.formatted("\"Siti \\u202Efdp.exe\""), "form/nama", "right-to-left override");
		refused(citizen, form.formatted("\"   \""), "form/nama", "must not be blank");
		refused(citizen, form.formatted("\"" + "a".repeat(1001) + "\""), "form/nama", "at most 1000");
		assertThat(applications(citizen)).isZero();
	}

	@Test
	void theSameFormIsTheSameSubmissionInAnyFieldOrderAndUnicodeForm() {
		String citizen = issuer.citizen("c-canonical");
		String key = "canonical-key-0001";
		// "José" with a combining accent (NFD), as some keyboards send it
		String id = send(citizen, body(KTP,
				"{\"nik\":\"3574010101900053\",\"nama\":\"Jose\\u0301\",\"telepon\":\"081234567890\"}"), key)
			.expectStatus().isCreated()
			.expectBody().jsonPath("$.form.nama").isEqualTo("Jos\u00e9")
			.returnResult().getResponseBody() == null ? null : "";
		// the same answers in another order and with the precomposed é: the same application
		send(citizen, body(KTP, "{\"telepon\":\"081234567890\",\"nama\":\"Jos\\u00e9\",\"nik\":\"3574010101900053\"}"), key)
			.expectStatus().isOk();
		assertThat(id).isNotNull();
		assertThat(applications(citizen)).isEqualTo(1);
	}

	@Test
	void aKeyGivenTwiceIsRefusedNotGuessed() {
		String citizen = issuer.citizen("c-twice");
		send(citizen, "{\"mppId\":\"kota-probolinggo\",\"mppId\":\"kota-surabaya\",\"standardId\":\"" + KTP
				+ "\",\"form\":" + ktpForm("3574010101900054") + "}", null)
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("mppId")
			.jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("more than once"));
		send(citizen, body(KTP, "{\"nik\":\"3574010101900054\",\"nik\":\"3574010101900055\",\"nama\":\"Siti\",\"telepon\":\"081234567890\"}"), null)
			.expectStatus().isBadRequest();
		assertThat(applications(citizen)).isZero();
	}

	@Test
	void aWrongValueNamesTheFieldAndWhatItAccepts() {
		String officer = issuer.officer("s-enum", "kota-probolinggo", "dukcapil");
		this.client.post().uri("/PMH-261127-NOPE1234/state").headers(h -> h.setBearerAuth(officer))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"HACKED\"}").exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("state")
			.jsonPath("$.errors[0].message").value(message -> assertThat((String) message)
				.contains("SUBMITTED", "IN_PROCESS", "COMPLETED", "REJECTED", "WITHDRAWN"));
		this.client.post().uri("/PMH-261127-NOPE1234/state").headers(h -> h.setBearerAuth(officer))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"state\":\"IN_PROCESS\",\"note\":{\"a\":1}}").exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("note")
			.jsonPath("$.errors[0].message").isEqualTo("must be a string");
	}

	@Test
	void aBodyLargerThanTheServiceReadsIsAProblemDocument() {
		String citizen = issuer.citizen("c-huge");
		send(citizen, body(KTP, "{\"nik\":\"3574010101900056\",\"nama\":\"" + "a".repeat(400_000) + "\"}"), null)
			.expectStatus().isEqualTo(413)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/content-too-large")
			.jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("larger than"));
	}

	@Test
	void aCitizenSubmitsOnlySoManyApplicationsForOneServiceInADay() {
		String citizen = issuer.citizen("c-flood");
		int limit = this.quota.perServicePerDay();
		for (int i = 0; i < limit; i++) {
			send(citizen, body(KTP, ktpForm("35740101019001" + (60 + i))), "flood-key-000" + i).expectStatus().isCreated();
		}
		send(citizen, body(KTP, ktpForm("3574010101900170")), "flood-key-over")
			.expectStatus().isEqualTo(429)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().exists("Retry-After")
			.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/too-many-requests");
		// a repeat of one already made is not a new one; another service is another count
		send(citizen, body(KTP, ktpForm("3574010101900160")), "flood-key-0000").expectStatus().isOk();
		send(citizen, body(SIM, "{\"nomorSim\":\"1234-5678-000001\"}"), "flood-key-sim").expectStatus().isCreated();
		assertThat(applications(citizen)).isEqualTo(limit + 1);
		// the refused key is free again: nothing was kept of it
		send(citizen, body(KTP, ktpForm("3574010101900170")), "flood-key-over").expectStatus().isEqualTo(429);
	}

}
