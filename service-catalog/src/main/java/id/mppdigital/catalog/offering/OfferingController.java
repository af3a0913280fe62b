package id.mppdigital.catalog.offering;

import java.text.Collator;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import id.mppdigital.access.Caller;
import id.mppdigital.catalog.audit.AuditLog;
import id.mppdigital.catalog.counter.Counter;
import id.mppdigital.catalog.mpp.Mpps;
import id.mppdigital.catalog.search.CatalogSearch;
import id.mppdigital.catalog.search.ServiceSearchIndex;
import id.mppdigital.catalog.standard.StandardContent;
import id.mppdigital.catalog.standard.StandardVersion;
import id.mppdigital.catalog.web.Languages;
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

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
 * which services it offers and where, when and how many a day.
 */
@RestController
class OfferingController {

	private final OfferingRepository offerings;

	private final Mpps mpps;

	private final CatalogSearch search;

	private final AuditLog audit;

	private final OfferingCache cache;

	OfferingController(OfferingRepository offerings, Mpps mpps, CatalogSearch search, AuditLog audit,
			OfferingCache cache) {
		this.cache = cache;
		this.offerings = offerings;
		this.mpps = mpps;
		this.search = search;
		this.audit = audit;
	}

	/** One service as the list shows it, in the asked language. */
	record ServiceSummary(String standardId, int version, String name, String description, String agencyId,
			StandardContent.Channels channels, int processingDays, long feeIdr, Integer counter, String counterName,
			List<DayOfWeek> days,
			Integer dailyQuota, String notes) {
	}

	record ServicePage(List<ServiceSummary> items, int page, int size, int total) {
	}

	@GetMapping("/mpps/{mpp}/services")
	Mono<ResponseEntity<ServicePage>> services(@PathVariable String mpp, @RequestParam(required = false) String q,
			@RequestParam(required = false) String agency, @RequestParam(required = false) StandardContent.Channels channel,
			@RequestParam(defaultValue = "0") @Min(0) int page, @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
			ServerWebExchange exchange) {
		String language = Languages.of(exchange.getRequest());
		Map<String, Offering> cached = this.cache.of(mpp);
		// an MPP that offers something exists; only an empty one costs a look in the database
		Mono<Map<String, Offering>> offeredHere = cached.isEmpty() ? this.mpps.requireExisting(mpp).thenReturn(cached) : Mono.just(cached);
		return offeredHere.map(offered -> {
				Map<String, StandardVersion> current = this.search.current();
				Map<String, Counter> counters = this.cache.counters(mpp);
				List<String> ordered = (q == null || q.isBlank()) ? byName(current, language)
						: this.search.search(q).stream().map(ServiceSearchIndex.Hit::standardId).toList();
				List<ServiceSummary> matching = new ArrayList<>();
				for (String id : ordered) {
					StandardVersion version = current.get(id);
					Offering offering = offered.get(id);
					if (version != null && offering != null && matches(version.content(), agency, channel)) {
						matching.add(summary(version, offering, counters.get(id), language));
					}
				}
				int from = Math.min(matching.size(), page * size);
				List<ServiceSummary> items = matching.subList(from, Math.min(matching.size(), from + size));
				return ResponseEntity.ok()
					.header(HttpHeaders.CONTENT_LANGUAGE, language)
					.body(new ServicePage(List.copyOf(items), page, size, matching.size()));
			});
	}

	/** One service at one MPP, with its local details: 404 unless the MPP offers it today. */
	@GetMapping("/mpps/{mpp}/services/{standardId}")
	Mono<ResponseEntity<ServiceSummary>> service(@PathVariable String mpp, @PathVariable String standardId,
			ServerWebExchange exchange) {
		String language = Languages.of(exchange.getRequest());
		Offering offering = this.cache.of(mpp).get(standardId);
		StandardVersion version = this.search.current().get(standardId);
		if (offering == null || version == null) {
			return Mono.error(Problems.notFound("MPP " + mpp + " does not offer " + standardId + "."));
		}
		return Mono.just(ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_LANGUAGE, language)
			.body(summary(version, offering, this.cache.counters(mpp).get(standardId), language)));
	}

	private static boolean matches(StandardContent standard, String agency, StandardContent.Channels channel) {
		boolean agencyMatches = agency == null || agency.equals(standard.agencyId());
		boolean channelMatches = channel == null || standard.channels() == channel
				|| standard.channels() == StandardContent.Channels.BOTH;
		return agencyMatches && channelMatches;
	}

	private static List<String> byName(Map<String, StandardVersion> current, String language) {
		Collator collator = Collator.getInstance(Locale.forLanguageTag(language));
		return current.values()
			.stream()
			.sorted(Comparator.comparing((StandardVersion version) -> version.content().name().in(language), collator)
				.thenComparing(StandardVersion::standardId))
			.map(StandardVersion::standardId)
			.collect(Collectors.toList());
	}

	private static ServiceSummary summary(StandardVersion version, Offering offering, Counter counter, String language) {
		StandardContent standard = version.content();
		return new ServiceSummary(version.standardId(), version.version(), standard.name().in(language),
				standard.description().in(language), standard.agencyId(), standard.channels(), standard.processingDays(),
				standard.fee().amountIdr(), counter == null ? null : counter.number(),
				counter == null ? null : counter.name(), offering.days(), offering.dailyQuota(), offering.notes());
	}


	record OfferingDetails(@Size(max = 7) List<DayOfWeek> days,
			@Positive @Max(100000) Integer dailyQuota, @Size(max = 1000) String notes) {
	}

	@PutMapping("/mpps/{mpp}/offerings/{standardId}")
	Mono<ResponseEntity<Offering>> put(@PathVariable String mpp, @PathVariable String standardId,
			@Valid @RequestBody OfferingDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		if (!this.search.current().containsKey(standardId)) {
			return Mono.error(Problems.unprocessable("standardId", "no published service standard " + standardId));
		}
		Offering offering = new Offering(Offering.id(mpp, standardId), mpp, standardId,
				details.days() == null ? List.of() : List.copyOf(details.days()), details.dailyQuota(), details.notes());
		String target = "mpps/" + mpp + "/offerings/" + standardId;
		return this.mpps.requireExisting(mpp)
			.then(this.audit.replace(caller, "offering", target, this.offerings.findById(offering.id()),
					this.offerings.save(offering)))
			.flatMap(change -> this.cache.refresh().thenReturn(change.response("/" + target)));
	}

	@DeleteMapping("/mpps/{mpp}/offerings/{standardId}")
	Mono<ResponseEntity<Void>> delete(@PathVariable String mpp, @PathVariable String standardId, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		String id = Offering.id(mpp, standardId);
		return this.offerings.findById(id)
			.flatMap(before -> this.offerings.deleteById(id)
				.then(this.audit.record(caller, "offering.delete", "mpps/" + mpp + "/offerings/" + standardId, before, ""))
				.then(this.cache.refresh()))
			.thenReturn(ResponseEntity.noContent().<Void>build());
	}


}
