package id.mppdigital.catalog.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.catalog.standard.CurrentStandards;
import id.mppdigital.catalog.standard.ServiceStandards;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.standard.StandardVersion;
import id.mppdigital.defaults.jobs.SerialJob;
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

	private final ServiceStandards standards;

	private final ServiceSearchIndex index = new ServiceSearchIndex();

	private final CurrentStandards current;

	CatalogSearch(ServiceStandards standards, CurrentStandards current) {
		this.standards = standards;
		this.current = current;
	}

	/** The current version of each standard, by id. */
	public Map<String, StandardVersion> current() {
		return this.current.all();
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
			this.current.replace(byId);
		}).then();
	}

	private final SerialJob rebuild = new SerialJob("Building the search index", this::refresh);

	/** Rebuilds in the background; requests meanwhile fold into one more rebuild. */
	@EventListener(ApplicationReadyEvent.class)
	public void rebuildInBackground() {
		this.rebuild.trigger();
	}

	@EventListener
	void published(ServiceStandards.StandardsChanged changed) {
		rebuildInBackground();
	}

	@Scheduled(fixedDelayString = "${mpp.catalog.search-refresh:30s}", initialDelayString = "${mpp.catalog.search-refresh:30s}")
	Mono<Void> periodically() {
		return this.rebuild.run();
	}

}
