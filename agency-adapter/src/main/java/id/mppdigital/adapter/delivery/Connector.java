package id.mppdigital.adapter.delivery;

import java.util.List;

import reactor.core.publisher.Mono;

/** How the adapter hands one application to one kind of agency system. */
interface Connector {

	/** What one attempt came to. */
	sealed interface Outcome {

		/** The agency took it (with its reference, if it gave one). */
		record Delivered(String reference) implements Outcome {
		}

		/** It did not get through, or the answer was lost: try again later, under the same key. */
		record Failed(String reason) implements Outcome {
		}

		/** The agency refused the content (or it could not be mapped to the agency's format): trying again would not help. */
		record Refused(String reason) implements Outcome {
		}

	}

	/** What a look-up found: whether the agency has the application, under which reference. */
	record Found(boolean registered, String reference) {
	}

	Mono<Outcome> deliver(Delivery delivery);

	/** More than 1 for agencies that take applications in batches (files): at most this many at once. */
	default int batchSize() {
		return 1;
	}

	/**
	 * Hands a batch over as one unit, under its name (its key: the same batch sent again has the same
	 * name and the same applications). Only connectors with a {@link #batchSize()} above 1 have it.
	 */
	default Mono<Outcome> deliver(String batch, List<Delivery> deliveries) {
		return Mono.error(new UnsupportedOperationException("this agency takes one application at a time"));
	}

	/**
	 * Asks the agency whether it has the application (before an uncertain delivery is sent again, for
	 * agencies that take no idempotency key). Only connectors of agencies with a look-up have one.
	 */
	default Mono<Found> lookUp(Delivery delivery) {
		return Mono.error(new UnsupportedOperationException("this agency offers no look-up"));
	}

	/**
	 * The application's history at the agency, for agencies that report only when asked (no
	 * webhook, no topic): every status so far, in the agency's order; empty if it has none yet.
	 */
	default Mono<List<AgencyStatus>> statuses(Delivery delivery) {
		return Mono.just(List.of());
	}

	/** Whether the agency reports only when asked (it is polled). */
	default boolean polled() {
		return false;
	}

}
