package id.mppdigital.notification.delivery;

import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the SMS and WhatsApp providers post delivery receipts: {@code POST /providers/{sms|whatsapp}/receipts}
 * ({@code /api/notifications/providers/…} through the gateway), without a token — the provider's
 * signature is its credential ({@link ProviderReceipts}). 204 when it was applied or changed nothing.
 */
@RestController
class ReceiptController {

	private final ProviderReceipts receipts;

	ReceiptController(ProviderReceipts receipts) {
		this.receipts = receipts;
	}

	@Operation(summary = "Take an SMS or WhatsApp provider's signed delivery receipt")
	@ApiResponse(responseCode = "204", description = "Taken")
	@ApiResponse(responseCode = "409", description = "The send is not recorded yet: post the receipt again later")
	@PostMapping(path = "/providers/{provider}/receipts", consumes = "application/json")
	Mono<ResponseEntity<Void>> receipt(@PathVariable String provider,
			@RequestHeader(name = "X-Provider-Timestamp", required = false) String timestamp,
			@RequestHeader(name = "X-Provider-Signature", required = false) String signature, @RequestBody String body) {
		return this.receipts.receipt(provider, timestamp, signature, body).thenReturn(ResponseEntity.noContent().build());
	}

}
