package id.mppdigital.adapter.operator;

import java.time.Instant;
import java.util.List;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.adapter.delivery.Deliveries;
import id.mppdigital.adapter.delivery.Delivery;
import id.mppdigital.defaults.Paging;
import id.mppdigital.problems.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operators do with deliveries (role {@code operator}): list an agency's deliveries in a state
 * (refused ones, with the agency's answer), and send one or all refused ones again after a fix.
 * Never shows a form.
 */
@RestController
class DeliveryController {

	/** One delivery as an operator sees it. */
	record DeliveryView(String applicationId, String agencyId, Delivery.State state, int attempts, Instant submittedAt,
			Instant nextAttemptAt, String lastError, String agencyReference, Instant deliveredAt) {

		static DeliveryView of(Delivery delivery) {
			return new DeliveryView(delivery.id(), delivery.agencyId(), delivery.state(), delivery.attempts(),
					delivery.submittedAt(), delivery.nextAttemptAt(), delivery.lastError(), delivery.agencyReference(),
					delivery.deliveredAt());
		}

	}

	record Retried(long deliveries) {
	}

	private final Deliveries deliveries;

	private final AgencyProperties properties;

	DeliveryController(Deliveries deliveries, AgencyProperties properties) {
		this.deliveries = deliveries;
		this.properties = properties;
	}

	@GetMapping("/agencies/{agencyId}/deliveries")
	@Allowed({ Caller.OPERATOR })
	Mono<List<DeliveryView>> list(Caller caller, @PathVariable String agencyId,
			@RequestParam(defaultValue = "REFUSED") Delivery.State state,
			@RequestParam(defaultValue = "50") @Min(1) @Max(Paging.MAX_SIZE) int size) {
		served(caller, agencyId);
		return this.deliveries.inState(agencyId, state, size).map(DeliveryView::of).collectList();
	}

	@PostMapping("/agencies/{agencyId}/deliveries/{applicationId}/retry")
	@Allowed({ Caller.OPERATOR })
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Void> retry(Caller caller, @PathVariable String agencyId, @PathVariable String applicationId) {
		served(caller, agencyId);
		return this.deliveries.retry(agencyId, applicationId)
			.flatMap(found -> found ? Mono.<Void>empty()
					: Mono.error(Problems.notFound("No refused or waiting delivery of " + applicationId + " to " + agencyId + ".")));
	}

	@PostMapping("/agencies/{agencyId}/deliveries/retry")
	@Allowed({ Caller.OPERATOR })
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Retried> retryRefused(Caller caller, @PathVariable String agencyId) {
		served(caller, agencyId);
		return this.deliveries.retryRefused(agencyId).map(Retried::new);
	}

	private void served(Caller caller, String agencyId) {
		caller.requireAnyRole(Caller.OPERATOR);
		if (this.properties.agency(agencyId) == null) {
			throw Problems.notFound("This adapter does not serve agency '" + agencyId + "'.");
		}
	}

}
