package id.mppdigital.catalog.agency;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A government body or state-owned company with services at MPPs.
 *
 * @param id slug, e.g. {@code dukcapil}; the {@code agency} claim of its officers and systems
 * @param name official name (Bahasa Indonesia)
 * @param kind what sort of body it is
 * @param integration how its back office is reached
 * @param contact where citizens and integrators reach it
 */
@Document("agencies")
public record Agency(@Id String id, String name, Kind kind, Integration integration, Contact contact) {

	public enum Kind {

		/** A central ministry's or agency's office (e.g. Kantor Imigrasi, Samsat Polri). */
		CENTRAL_MINISTRY_OFFICE,

		/** A city's or regency's own office (e.g. Disdukcapil, DPMPTSP). */
		REGIONAL_OFFICE,

		/** A state-owned company (e.g. BPJS, PLN, a regional bank). */
		STATE_OWNED_COMPANY

	}

	public enum Integration {

		/** Its back office is bridged by an agency adapter (REST, SOAP or files). */
		ADAPTER,

		/** Its system produces and consumes the platform's Kafka topics itself. */
		DIRECT_KAFKA,

		/** No system: officers work applications at the counter console only. */
		OFFICERS_ONLY

	}

	public record Contact(String email, String phone, String website) {
	}

}
