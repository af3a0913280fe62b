package id.mppdigital.catalog.standard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.catalog.agency.Agency;

/**
 * A published version as JSON-LD following the EU Core Public Service Vocabulary Application Profile
 * (CPSV-AP 3.2.0, and conforming to its SHACL shapes), so other portals and registries can reuse
 * Indonesian service standards: the service ({@code cpsv:PublicService}), its competent authority,
 * inputs (evidence), cost, processing time, output, channels, rules (procedure steps), legal
 * resources and contact point for complaints. Texts carry their language tags ({@code id},
 * {@code en}); every part has its own IRI (a fragment of the version's) and {@code dct:identifier}.
 * <p>
 * The processing time is counted in <em>working days</em> (hari kerja), which an ISO 8601 duration
 * ({@code cv:processingTime}, {@code P3D}) cannot say: {@code P3D} reads as three calendar days. So
 * it is an OWL-Time duration in the temporal unit {@code mpp:WorkingDay}, described in the document
 * itself, under {@code mpp:processingTime}; {@code cv:processingTime} is left out.
 */
final class CpsvExport {

	/** The platform's own terms (the working-day unit, channel types). */
	static final String MPP = "https://mppdigital.id/def/";

	static final Map<String, Object> CONTEXT = Map.ofEntries(Map.entry("cpsv", "http://purl.org/vocab/cpsv#"),
			Map.entry("cv", "http://data.europa.eu/m8g/"), Map.entry("dct", "http://purl.org/dc/terms/"),
			Map.entry("xsd", "http://www.w3.org/2001/XMLSchema#"), Map.entry("eli", "http://data.europa.eu/eli/ontology#"),
			Map.entry("skos", "http://www.w3.org/2004/02/skos/core#"), Map.entry("owl", "http://www.w3.org/2002/07/owl#"),
			Map.entry("time", "http://www.w3.org/2006/time#"), Map.entry("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
			Map.entry("mpp", MPP));

	/** Where every agency's services are offered (a regional office's, in each city or regency that has one). */
	private static final Map<String, Object> INDONESIA = Map.of("@id",
			"http://publications.europa.eu/resource/authority/country/IDN", "@type", "dct:Location", "skos:prefLabel",
			List.of(text("Indonesia", "id"), text("Indonesia", "en")));

	private static final Map<String, Object> RUPIAH = Map.of("@id",
			"http://publications.europa.eu/resource/authority/currency/IDR", "@type", "skos:Concept", "skos:prefLabel",
			List.of(text("Rupiah", "id"), text("Indonesian rupiah", "en")));

	private static final Map<String, Object> WORKING_DAY = Map.of("@id", MPP + "WorkingDay", "@type",
			"time:TemporalUnit", "rdfs:label", List.of(text("hari kerja", "id"), text("working day", "en")),
			"rdfs:comment", List.of(text("Satu hari kerja: Senin sampai Jumat, di luar hari libur nasional dan cuti bersama.",
					"id"), text("One working day: Monday to Friday, not counting public holidays and collective leave days.",
					"en")));

	private CpsvExport() {
	}

	/**
	 * @param base the public URL of the catalog (through the gateway), e.g.
	 * {@code https://api.example/api/catalog}
	 */
	static Map<String, Object> of(StandardVersion version, Agency agency, String base) {
		StandardContent standard = version.content();
		String id = base + "/standards/" + version.standardId() + "/versions/" + version.version();
		String key = version.standardId() + "/" + version.version();
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("@context", CONTEXT);
		service.put("@id", id);
		service.put("@type", "cpsv:PublicService");
		service.put("dct:identifier", version.standardId());
		service.put("owl:versionInfo", Integer.toString(version.version()));
		service.put("dct:valid", typed(version.validFrom().toString(), "xsd:date"));
		service.put("dct:title", texts(standard.name()));
		service.put("dct:description", texts(standard.description()));
		Map<String, Object> authority = new LinkedHashMap<>();
		authority.put("@id", base + "/agencies/" + standard.agencyId());
		authority.put("@type", "cv:PublicOrganisation");
		authority.put("dct:identifier", standard.agencyId());
		authority.put("skos:prefLabel", List.of(text(agency != null ? agency.name() : standard.agencyId(), "id")));
		authority.put("dct:spatial", INDONESIA);
		service.put("cv:hasCompetentAuthority", authority);
		List<Map<String, Object>> inputs = new ArrayList<>();
		for (int n = 0; n < standard.requirements().size(); n++) {
			inputs.add(part(id, key, "input", n + 1, "cv:Evidence", "dct:title", texts(standard.requirements().get(n).name())));
		}
		service.put("cpsv:hasInput", inputs);
		Map<String, Object> cost = part(id, key, "cost", 1, "cv:Cost", "cv:value",
				typed(Long.toString(standard.fee().amountIdr()), "xsd:decimal"));
		cost.put("cv:currency", RUPIAH);
		cost.put("dct:description", List.of(text(standard.fee().legalBasis(), "id")));
		service.put("cv:hasCost", List.of(cost));
		service.put("mpp:processingTime", Map.of("@type", "time:Duration", "time:numericDuration",
				typed(Integer.toString(standard.processingDays()), "xsd:decimal"), "time:unitType", WORKING_DAY));
		service.put("cpsv:produces", part(id, key, "output", 1, "cv:Output", "dct:title", texts(standard.product())));
		service.put("cv:hasChannel", channels(id, key, standard.channels()));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (int step = 0; step < standard.procedure().size(); step++) {
			Map<String, Object> rule = part(id, key, "step", step + 1, "cpsv:Rule", "dct:title",
					List.of(text("Langkah " + (step + 1), "id"), text("Step " + (step + 1), "en")));
			rule.put("dct:description", texts(standard.procedure().get(step)));
			rules.add(rule);
		}
		service.put("cpsv:follows", rules);
		service.put("cv:hasLegalResource",
				standard.legalBasis().stream().map(law -> Map.of("@type", "eli:LegalResource", "dct:title", law)).toList());
		service.put("cv:hasContactPoint", Map.of("@type", "cv:ContactPoint", "dct:description",
				List.of(text(standard.complaintChannel(), "id"))));
		return service;
	}

	/** One part of the service: its own IRI and identifier ({@code akta-kelahiran/1/step/2}), type and first member. */
	private static Map<String, Object> part(String service, String key, String kind, int n, String type, String member,
			Object value) {
		Map<String, Object> part = new LinkedHashMap<>();
		part.put("@id", service + "#" + kind + "-" + n);
		part.put("@type", type);
		part.put("dct:identifier", key + "/" + kind + "/" + n);
		part.put(member, value);
		return part;
	}

	private static List<Map<String, String>> texts(LocalizedText text) {
		List<Map<String, String>> texts = new ArrayList<>();
		texts.add(text(text.id(), "id"));
		if (text.en() != null && !text.en().isBlank()) {
			texts.add(text(text.en(), "en"));
		}
		return texts;
	}

	private static Map<String, String> text(String value, String language) {
		return Map.of("@value", value, "@language", language);
	}

	private static Map<String, String> typed(String value, String type) {
		return Map.of("@value", value, "@type", type);
	}

	/** Online and at the counter, each typed by a concept of the platform's channel types. */
	private static List<Map<String, Object>> channels(String service, String key, StandardContent.Channels channels) {
		List<Map<String, Object>> list = new ArrayList<>();
		if (channels != StandardContent.Channels.COUNTER) {
			list.add(part(service, key, "channel", list.size() + 1, "cv:Channel", "dct:type",
					channelType("online", "Daring (aplikasi dan situs web MPP Digital)", "Online (MPP Digital app and website)")));
		}
		if (channels != StandardContent.Channels.ONLINE) {
			list.add(part(service, key, "channel", list.size() + 1, "cv:Channel", "dct:type",
					channelType("counter", "Loket di Mal Pelayanan Publik", "Counter at the public service mall")));
		}
		return list;
	}

	private static Map<String, Object> channelType(String code, String id, String en) {
		return Map.of("@id", MPP + "channel-type/" + code, "@type", "skos:Concept", "skos:inScheme",
				Map.of("@id", MPP + "channel-type"), "skos:prefLabel", List.of(text(id, "id"), text(en, "en")));
	}

}
