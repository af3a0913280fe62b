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
import id.mppdigital.problems.Problems;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * What an MPP offers: the services citizens browse and search there (from the in-memory view of
 * offerings, counters and current standards), and its administrator's say on which services it
 * offers and when and how many a day.
 */
@Component
class Offerings {

	private final OfferingRepository offerings;

	private final Mpps mpps;

	private final CatalogSearch search;

	private final AuditLog audit;

	private final OfferingCache cache;

	Offerings(OfferingRepository offerings, Mpps mpps, CatalogSearch search, AuditLog audit, OfferingCache cache) {
		this.offerings = offerings;
		this.mpps = mpps;
		this.search = search;
		this.audit = audit;
		this.cache = cache;
	}

	/** One service as the list shows it, in the asked language. */
	record ServiceSummary(String standardId, int version, String name, String description, String agencyId,
			StandardContent.Channels channels, int processingDays, long feeIdr, Integer counter, String counterName,
			List<DayOfWeek> days,
			Integer dailyQuota, String notes, String queuePrefix, Offering.Booking booking) {
	}

	record ServicePage(List<ServiceSummary> items, int page, int size, int total) {
	}

	record OfferingDetails(@Size(max = 7) List<DayOfWeek> days,
			@Positive @Max(100000) Integer dailyQuota, @Size(max = 1000) String notes, @Valid BookingDetails booking) {
	}

	/** Online booking: slots of {@code slotMinutes} from the opening time, each for {@code slotCapacity}. */
	record BookingDetails(@NotNull @Min(5) @Max(240) Integer slotMinutes, @NotNull @Min(1) @Max(1000) Integer slotCapacity,
			@Min(0) @Max(100000) Integer onlineQuota) {
	}

	/** The services offered at the MPP, by name or by relevance to {@code q}, filtered and paged; 404 for no MPP. */
	Mono<ServicePage> services(String mpp, String q, String agency, StandardContent.Channels channel, int page, int size,
			String language) {
		Map<String, Offering> cached = this.cache.of(mpp);
		// an MPP that offers something exists; only an empty one costs a look in the database
		Mono<Map<String, Offering>> offeredHere = cached.isEmpty() ? this.mpps.requireExisting(mpp).thenReturn(cached)
				: Mono.just(cached);
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
			return new ServicePage(List.copyOf(items), page, size, matching.size());
		});
	}

	/** One service at one MPP, with its local details: 404 unless the MPP offers it today. */
	Mono<ServiceSummary> service(String mpp, String standardId, String language) {
		Offering offering = this.cache.of(mpp).get(standardId);
		StandardVersion version = this.search.current().get(standardId);
		if (offering == null || version == null) {
			return Mono.error(Problems.notFound("MPP " + mpp + " does not offer " + standardId + "."));
		}
		return Mono.just(summary(version, offering, this.cache.counters(mpp).get(standardId), language));
	}

	/** Offers a published service at the MPP (or changes when and how), audited. */
	Mono<AuditLog.Change<Offering>> put(String mpp, String standardId, OfferingDetails details, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		if (!this.search.current().containsKey(standardId)) {
			return Mono.error(Problems.unprocessable("standardId", "no published service standard " + standardId));
		}
		BookingDetails booking = details.booking();
		if (booking != null && booking.onlineQuota() != null && details.dailyQuota() != null
				&& booking.onlineQuota() > details.dailyQuota()) {
			return Mono.error(Problems.unprocessable("booking.onlineQuota", "is more than the daily quota"));
		}
		Offering offering = new Offering(Offering.id(mpp, standardId), mpp, standardId,
				details.days() == null ? List.of() : List.copyOf(details.days()), details.dailyQuota(), details.notes(),
				booking == null ? null
						: new Offering.Booking(booking.slotMinutes(), booking.slotCapacity(), booking.onlineQuota()));
		String target = "mpps/" + mpp + "/offerings/" + standardId;
		return this.mpps.requireExisting(mpp)
			.then(this.audit.replace(caller, "offering", target, this.offerings.findById(offering.id()),
					this.offerings.save(offering)))
			.flatMap(change -> this.cache.refresh().thenReturn(change));
	}

	/** No longer offers the service at the MPP, if it did. */
	Mono<Void> delete(String mpp, String standardId, Caller caller) {
		caller.requireAnyRole(Caller.PLATFORM_ADMIN, Caller.MPP_ADMIN).requireMpp(mpp);
		String id = Offering.id(mpp, standardId);
		return this.offerings.findById(id)
			.flatMap(before -> this.offerings.deleteById(id)
				.then(this.audit.record(caller, "offering.delete", "mpps/" + mpp + "/offerings/" + standardId, before, ""))
				.then(this.cache.refresh()));
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
				counter == null ? null : counter.name(), offering.days(), offering.dailyQuota(), offering.notes(),
				standard.queuePrefix(), offering.booking());
	}

}
