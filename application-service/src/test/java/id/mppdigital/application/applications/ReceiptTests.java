package id.mppdigital.application.applications;

import java.util.Map;

import id.mppdigital.application.ApplicationWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A citizen's receipt can be checked by anyone it is shown to, without a token: the tracking number
 * and its verification code confirm the submission, and reveal nothing personal.
 */
class ReceiptTests extends ApplicationWebTests {

	@Test
	void anyoneHoldingTheReceiptCanCheckItAndNobodyCanGuessOne() {
		Map<?, ?> submitted = this.client.post().uri("/").headers(h -> h.setBearerAuth(issuer.citizen("c-receipt")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"mppId\":\"kota-probolinggo\",\"standardId\":\"" + KTP + "\",\"form\":"
					+ ktpForm("3574010101900051") + "}")
			.exchange()
			.expectStatus().isCreated()
			.returnResult(Map.class).getResponseBody().blockFirst();
		String id = submitted.get("id").toString();
		Map<?, ?> receipt = (Map<?, ?>) submitted.get("receipt");
		String code = receipt.get("verificationCode").toString();
		assertThat(code).matches("[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}");
		assertThat(receipt.get("verifyUrl")).isEqualTo("/api/applications/receipts/" + id + "?code=" + code);

		for (String asTyped : new String[] { code, code.toLowerCase() }) {
			this.client.get().uri("/receipts/" + id + "?code=" + asTyped).exchange()
				.expectStatus().isOk()
				.expectBody()
				.jsonPath("$.trackingNumber").isEqualTo(id)
				.jsonPath("$.standardId").isEqualTo(KTP)
				.jsonPath("$.mppId").isEqualTo("kota-probolinggo")
				.jsonPath("$.state").isEqualTo("SUBMITTED")
				.jsonPath("$.dueDate").isEqualTo("2026-12-02");
			assertThat(new String(this.client.get().uri("/receipts/" + id + "?code=" + asTyped).exchange()
				.expectBody().returnResult().getResponseBody())).doesNotContain("3574010101900051", "Siti", "form",
						"c-receipt");
		}
		String wrong = code.substring(0, 18) + (code.endsWith("2") ? "3" : "2");
		for (String uri : new String[] { "/receipts/" + id + "?code=" + wrong, "/receipts/PMH-000000-AAAAAAAA?code=" + code }) {
			this.client.get().uri(uri).exchange()
				.expectStatus().isNotFound()
				.expectBody().jsonPath("$.type").isEqualTo("https://mppdigital.id/problems/not-found");
		}
		this.client.get().uri("/receipts/" + id).exchange().expectStatus().isBadRequest();
		// nothing else is public
		this.client.get().uri("/" + id).exchange().expectStatus().isUnauthorized();
	}

}
