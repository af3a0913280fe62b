package id.mppdigital.catalog.standard;

import java.time.Instant;
import java.time.LocalDate;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One version of a service standard. A draft can be replaced; once published it never changes (an
 * application keeps the version it was submitted under), and a change is a new version with a later
 * validity start. The published version is also the outbox of its event: {@code eventSent} turns
 * true once {@code mpp.catalog.service-standard-published.v1} is acknowledged by Kafka.
 *
 * @param id {@code <standardId>@<version>}
 * @param validFrom first day (in the MPP's calendar) the version applies; null while a draft
 */
@Document("standard_versions")
public record StandardVersion(@Id String id, String standardId, int version, Status status, LocalDate validFrom,
		Instant publishedAt, String publishedBy, boolean eventSent, StandardContent content) {

	public enum Status {

		DRAFT, PUBLISHED

	}

	public static String id(String standardId, int version) {
		return standardId + "@" + version;
	}

	StandardVersion published(LocalDate from, Instant at, String by) {
		return new StandardVersion(this.id, this.standardId, this.version, Status.PUBLISHED, from, at, by, false,
				this.content);
	}

}
