package id.mppdigital.catalog.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import id.mppdigital.catalog.standard.ServiceStandards;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.standard.StandardVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The current version of every service standard, held in memory with its search index, so public
 * lists and searches never wait for the database. Rebuilt at start, after each publish here, on
 * every {@code mpp.catalog.service-standard-published.v1} event (publishes by other instances: see
 * {@link PublishedStandardListener}), and every {@code mpp.catalog.search-refresh} (30 s) — which
 * also picks up versions whose validity started at midnight.
 */
@Service
public class CatalogSearch {

	private static final Logger log = LoggerFactory.getLogger(CatalogSearch.class);

	private final ServiceStandards standards;

	private final ServiceSearchIndex index = new ServiceSearchIndex();

	private volatile Map<String, StandardVersion> current = Map.of();

	CatalogSearch(ServiceStandards standards) {
		this.standards = standards;
	}

	/** The current version of each standard, by id. */
	public Map<String, StandardVersion> current() {
		return this.current;
	}

	public List<ServiceSearchIndex.Hit> search(String query) {
		return this.index.search(query);
	}

	public Mono<Void> refresh() {
		return this.standards.currentAll(null, this.standards.today()).collectList().doOnNext(versions -> {
			Map<String, StandardVersion> byId = new LinkedHashMap<>();
			versions.forEach(version -> byId.put(version.standardId(), version));
			Map<String, StandardContent> contents = new LinkedHashMap<>();
			byId.forEach((id, version) -> contents.put(id, version.content()));
			this.index.rebuild(contents);
			this.current = Map.copyOf(byId);
		}).then();
	}

	private final AtomicBoolean rebuilding = new AtomicBoolean();

	private final AtomicBoolean again = new AtomicBoolean();

	/**
	 * Rebuilds in the background; requests arriving meanwhile are folded into one more rebuild
	 * (a burst of publishes costs two rebuilds, not one each).
	 */
	@EventListener(ApplicationReadyEvent.class)
	public void rebuildInBackground() {
		if (!this.rebuilding.compareAndSet(false, true)) {
			this.again.set(true);
			return;
		}
		refresh().doFinally(signal -> {
			this.rebuilding.set(false);
			if (this.again.getAndSet(false)) {
				rebuildInBackground();
			}
		}).subscribe(null, ex -> log.warn("Building the search index failed: {}", ex.toString()));
	}

	@EventListener
	void published(ServiceStandards.StandardsChanged changed) {
		rebuildInBackground();
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.search-refresh:30s}", initialDelayString = "${mpp.catalog.search-refresh:30s}")
	Mono<Void> periodically() {
		// a fresh Mono per run: Spring re-subscribes what a scheduled method returned
		return Mono.defer(this::refresh).onErrorResume(ex -> {
			log.warn("Refreshing the search index failed: {}", ex.toString());
			return Mono.empty();
		});
	}

}
