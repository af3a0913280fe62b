package id.mppdigital.catalog.standard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A version in the one language a client asked for ({@code Accept-Language}): every text is a plain
 * string, English where the standard has it, else the Indonesian legal text. Without a language
 * (or with {@code *}) clients get {@link StandardView}, the canonical document with both.
 */
record LocalizedStandardView(String standardId, int version, StandardVersion.Status status, LocalDate validFrom,
		Instant publishedAt, String language, Standard standard) {

	record Standard(String agencyId, String name, String description, List<Requirement> requirements,
			List<String> procedure, int processingDays, StandardContent.Fee fee, String product,
			String complaintChannel, List<String> legalBasis, StandardContent.Channels channels,
			JsonNode applicationForm, String queuePrefix) {
	}

	record Requirement(String name, boolean upload) {
	}

	static LocalizedStandardView of(StandardView view, String language) {
		StandardContent content = view.standard();
		return new LocalizedStandardView(view.standardId(), view.version(), view.status(), view.validFrom(),
				view.publishedAt(), language,
				new Standard(content.agencyId(), content.name().in(language), content.description().in(language),
						content.requirements().stream()
							.map(requirement -> new Requirement(requirement.name().in(language), requirement.upload()))
							.toList(),
						content.procedure().stream().map(step -> step.in(language)).toList(), content.processingDays(),
						content.fee(), content.product().in(language), content.complaintChannel(), content.legalBasis(),
						content.channels(), content.applicationForm(), content.queuePrefix()));
	}

}
