package id.mppdigital.catalog.standard;

import java.time.Instant;
import java.time.LocalDate;

/** A version as clients see it (without the outbox bookkeeping). */
record StandardView(String standardId, int version, StandardVersion.Status status, LocalDate validFrom,
		Instant publishedAt, StandardContent standard) {

	static StandardView of(StandardVersion version) {
		return new StandardView(version.standardId(), version.version(), version.status(), version.validFrom(),
				version.publishedAt(), version.content());
	}

}
