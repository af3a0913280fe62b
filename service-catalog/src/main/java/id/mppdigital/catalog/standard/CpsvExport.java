package id.mppdigital.catalog.standard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.catalog.agency.Agency;

/**
 * A published version as JSON-LD following the EU Core Public Service Vocabulary Application Profile
 * (CPSV-AP 3), so other portals and registries can reuse Indonesian service standards: the service
 * ({@code cpsv:PublicService}), its competent authority, inputs (evidence), cost, processing time,
 * output, channels, rules (procedure steps), legal resources and contact point for complaints.
 * Texts carry their language tags ({@code id}, {@code en}).
 */
final class CpsvExport {

	static final Map<String, Object> CONTEXT = Map.of("cpsv", "http://purl.org/vocab/cpsv#", "cv",
			"http://data.europa.eu/m8g/", "dct", "http://purl.org/dc/terms/", "xsd",
			"http://www.w3.org/2001/XMLSchema#", "eli", "http://data.europa.eu/eli/ontology#", "skos",
			"http://www.w3.org/2004/02/skos/core#", "owl", "http://www.w3.org/2002/07/owl#");

	private CpsvExport() {
	}

	/**
	 * @param base the public URL of the catalog (through the gateway), e.g.
	 * {@code https://api.example/api/catalog}
	 */
	static Map<String, Object> of(StandardVersion version, Agency agency, String base) {
		StandardContent standard = version.content();
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("@context", CONTEXT);
		service.put("@id", base + "/standards/" + version.standardId() + "/versions/" + version.version());
		service.put("@type", "cpsv:PublicService");
		service.put("dct:identifier", version.standardId());
		service.put("owl:versionInfo", Integer.toString(version.version()));
		service.put("dct:valid", typed(version.validFrom().toString(), "xsd:date"));
		service.put("dct:title", texts(standard.name()));
		service.put("dct:description", texts(standard.description()));
		Map<String, Object> authority = new LinkedHashMap<>();
		authority.put("@id", base + "/agencies/" + standard.agencyId());
		authority.put("@type", "cv:PublicOrganisation");
		if (agency != null) {
			authority.put("skos:prefLabel", List.of(Map.of("@value", agency.name(), "@language", "id")));
		}
		service.put("cv:hasCompetentAuthority", authority);
		service.put("cpsv:hasInput", standard.requirements()
			.stream()
			.map(requirement -> Map.of("@type", "cv:Evidence", "dct:title", texts(requirement.name())))
			.toList());
		service.put("cv:hasCost", List.of(Map.of("@type", "cv:Cost", "cv:value",
				typed(Long.toString(standard.fee().amountIdr()), "xsd:decimal"), "cv:currency",
				Map.of("@id", "http://publications.europa.eu/resource/authority/currency/IDR"), "dct:description",
				List.of(Map.of("@value", standard.fee().legalBasis(), "@language", "id")))));
		service.put("cv:processingTime", typed("P" + standard.processingDays() + "D", "xsd:duration"));
		service.put("cpsv:produces", Map.of("@type", "cv:Output", "dct:title", texts(standard.product())));
		service.put("cv:hasChannel", channels(standard.channels()));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (int step = 0; step < standard.procedure().size(); step++) {
			rules.add(Map.of("@type", "cpsv:Rule", "dct:identifier", Integer.toString(step + 1), "dct:description",
					texts(standard.procedure().get(step))));
		}
		service.put("cpsv:follows", rules);
		service.put("cv:hasLegalResource",
				standard.legalBasis().stream().map(law -> Map.of("@type", "eli:LegalResource", "dct:title", law)).toList());
		service.put("cv:hasContactPoint", Map.of("@type", "cv:ContactPoint", "dct:description",
				List.of(Map.of("@value", standard.complaintChannel(), "@language", "id"))));
		return service;
	}

	private static List<Map<String, String>> texts(LocalizedText text) {
		List<Map<String, String>> texts = new ArrayList<>();
		texts.add(Map.of("@value", text.id(), "@language", "id"));
		if (text.en() != null && !text.en().isBlank()) {
			texts.add(Map.of("@value", text.en(), "@language", "en"));
		}
		return texts;
	}

	private static Map<String, String> typed(String value, String type) {
		return Map.of("@value", value, "@type", type);
	}

	private static List<Map<String, String>> channels(StandardContent.Channels channels) {
		List<Map<String, String>> list = new ArrayList<>();
		if (channels != StandardContent.Channels.COUNTER) {
			list.add(Map.of("@type", "cv:Channel", "dct:type", "online"));
		}
		if (channels != StandardContent.Channels.ONLINE) {
			list.add(Map.of("@type", "cv:Channel", "dct:type", "counter"));
		}
		return list;
	}

}
