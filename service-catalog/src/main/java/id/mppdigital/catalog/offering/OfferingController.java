package id.mppdigital.catalog.offering;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.web.Languages;
import id.mppdigital.defaults.Paging;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * What an MPP offers: citizens browse and search its services (public); its administrator says
 * which services it offers and where, when and how many a day ({@link Offerings}).
 */
@RestController
class OfferingController {

	private final Offerings offerings;

	OfferingController(Offerings offerings) {
		this.offerings = offerings;
	}

	@Operation(summary = "Search or list the services an MPP offers")
	@GetMapping("/mpps/{mpp}/services")
	Mono<ResponseEntity<Offerings.ServicePage>> services(@PathVariable String mpp, @RequestParam(required = false) String q,
			@RequestParam(required = false) String agency, @RequestParam(required = false) StandardContent.Channels channel,
			@RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(Paging.MAX_SIZE) int size,
			ServerWebExchange exchange) {
		String language = Languages.of(exchange.getRequest());
		return this.offerings.services(mpp, q, agency, channel, page, size, language)
			.map(found -> ResponseEntity.ok().header(HttpHeaders.CONTENT_LANGUAGE, language).body(found));
	}

	/** One service at one MPP, with its local details: 404 unless the MPP offers it today. */
	@Operation(summary = "Read one service as an MPP offers it")
	@GetMapping("/mpps/{mpp}/services/{standardId}")
	Mono<ResponseEntity<Offerings.ServiceSummary>> service(@PathVariable String mpp, @PathVariable String standardId,
			ServerWebExchange exchange) {
		String language = Languages.of(exchange.getRequest());
		return this.offerings.service(mpp, standardId, language)
			.map(found -> ResponseEntity.ok().header(HttpHeaders.CONTENT_LANGUAGE, language).body(found));
	}

	@Operation(summary = "Offer a service at an MPP, or change how it is offered")
	@ApiResponse(responseCode = "201", description = "Added")
	@ApiResponse(responseCode = "200", description = "Changed")
	@PutMapping("/mpps/{mpp}/offerings/{standardId}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<ResponseEntity<Offering>> put(@PathVariable String mpp, @PathVariable String standardId,
			@Valid @RequestBody Offerings.OfferingDetails details, Caller caller) {
		return this.offerings.put(mpp, standardId, details, caller)
			.map(change -> change.response("/mpps/" + mpp + "/offerings/" + standardId));
	}

	@Operation(summary = "Stop offering a service at an MPP")
	@ApiResponse(responseCode = "204", description = "Done; nothing to return")
	@DeleteMapping("/mpps/{mpp}/offerings/{standardId}")
	@Allowed({ Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN })
	Mono<ResponseEntity<Void>> delete(@PathVariable String mpp, @PathVariable String standardId, Caller caller) {
		return this.offerings.delete(mpp, standardId, caller).thenReturn(ResponseEntity.noContent().<Void>build());
	}

}
