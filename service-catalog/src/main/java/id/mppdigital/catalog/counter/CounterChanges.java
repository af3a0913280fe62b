package id.mppdigital.catalog.counter;

import reactor.core.publisher.Mono;

/**
 * Told after counters change, by whoever keeps a view of them (the offerings' in-memory cache shows
 * the counter serving each service); completes once that view shows the change. Declared here so the
 * counters need not know who listens.
 */
public interface CounterChanges {

	Mono<Void> countersChanged();

}
