package id.mppdigital.notification.delivery;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Paging;
import id.mppdigital.notification.channels.Channel;
import id.mppdigital.problems.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operators do with deliveries that failed for good (role {@code operator}): see them by
 * channel and reason, and send one or all again once the cause is fixed. Shows neither the
 * address nor the text: the citizen is their subject id.
 */
@RestController
class OperatorController {

	/** One delivery as an operator sees it. */
	record DeliveryView(String id, String eventId, String recipient, Channel channel, Delivery.Status status,
			int attempts, boolean urgent, Instant createdAt, Instant nextAttemptAt, String reason) {

		static DeliveryView of(Delivery delivery) {
			return new DeliveryView(delivery.id(), delivery.eventId(), delivery.recipient(), delivery.channel(),
					delivery.status(), delivery.attempts(), delivery.urgent(), delivery.createdAt(),
					delivery.nextAttemptAt(), delivery.reason());
		}

	}

	/** How many failed for one reason on one channel. */
	record Reason(Channel channel, String reason, long deliveries) {
	}

	record Failures(List<Reason> byReason, List<DeliveryView> latest) {
	}

	record Retried(long deliveries) {
	}

	private final Deliveries deliveries;

	OperatorController(Deliveries deliveries) {
		this.deliveries = deliveries;
	}

	@Operation(summary = "List the deliveries failed for good, by channel and reason")
	@GetMapping("/deliveries/failures")
	@Allowed({ Caller.OPERATOR })
	Mono<Failures> failures(@RequestParam(required = false) Channel channel,
			@RequestParam(defaultValue = "50") @Min(1) @Max(Paging.MAX_SIZE) int size) {
		return this.deliveries.failed(channel).collectList().map(failed -> {
			Map<List<Object>, Long> counted = failed.stream()
				.collect(Collectors.groupingBy(delivery -> List.<Object>of(delivery.channel(),
						delivery.reason() == null ? "" : delivery.reason()), Collectors.counting()));
			List<Reason> byReason = counted.entrySet().stream()
				.map(entry -> new Reason((Channel) entry.getKey().get(0), (String) entry.getKey().get(1), entry.getValue()))
				.sorted(Comparator.comparingLong(Reason::deliveries).reversed())
				.toList();
			return new Failures(byReason, failed.stream().limit(size).map(DeliveryView::of).toList());
		});
	}

	@Operation(summary = "Send one failed delivery again")
	@PostMapping("/deliveries/{id}/retry")
	@Allowed({ Caller.OPERATOR })
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Void> retry(@PathVariable String id) {
		return this.deliveries.retry(id)
			.flatMap(found -> found ? Mono.<Void>empty()
					: Mono.error(Problems.notFound("No delivery '" + id + "' that failed for good.")));
	}

	/** Sends every delivery that failed for good (of one channel, or one reason) again. */
	@Operation(summary = "Send every failed delivery (of a channel, a reason) again")
	@PostMapping("/deliveries/failures/retry")
	@Allowed({ Caller.OPERATOR })
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Retried> retryAll(@RequestParam(required = false) Channel channel,
			@RequestParam(required = false) String reason) {
		return this.deliveries.failed(channel)
			.filter(delivery -> reason == null || reason.equals(delivery.reason()))
			.concatMap(delivery -> this.deliveries.retry(delivery.id()))
			.filter(Boolean::booleanValue)
			.count()
			.map(Retried::new);
	}

}
