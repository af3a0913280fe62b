package id.mppdigital.adapter.delivery;

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

		/** The agency refused the content: trying again would not help. */
		record Refused(String reason) implements Outcome {
		}

	}

	Mono<Outcome> deliver(Delivery delivery);

}
