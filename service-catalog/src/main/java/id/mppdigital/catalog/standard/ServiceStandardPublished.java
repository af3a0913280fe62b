package id.mppdigital.catalog.standard;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Event {@code mpp.catalog.service-standard-published.v1} (schema in {@code contracts/events/}):
 * the whole published version, so consumers can cache it instead of calling the catalog. Keyed by
 * standard id; {@code eventId} ({@code <standardId>@<version>}) lets consumers drop a redelivery.
 */
public record ServiceStandardPublished(String eventId, String standardId, int version, LocalDate validFrom,
		Instant publishedAt, StandardContent standard) {

	public static final String TOPIC = "mpp.catalog.service-standard-published.v1";

	static ServiceStandardPublished of(StandardVersion version) {
		return new ServiceStandardPublished(version.id(), version.standardId(), version.version(), version.validFrom(),
				version.publishedAt(), version.content());
	}

}
