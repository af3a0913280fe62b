package id.mppdigital.catalog.standard;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import id.mppdigital.catalog.CatalogWebTests;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.lib.ShLib;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other portals reuse a service standard as CPSV-AP JSON-LD, with ids under the public URL the
 * gateway gives the catalog.
 */
class LinkedDataExportTests extends CatalogWebTests {

	@Test
	void aStandardIsAPublicServiceInCpsvAp() {
		this.client.get().uri("/standards/akta-kelahiran/versions/1")
			.accept(MediaType.valueOf("application/ld+json"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "api.mppdigital.example")
			.header("X-Forwarded-Prefix", "/api/catalog")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("application/ld+json")
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody()
			.jsonPath("$['@context'].cpsv").isEqualTo("http://purl.org/vocab/cpsv#")
			.jsonPath("$['@type']").isEqualTo("cpsv:PublicService")
			.jsonPath("$['@id']").isEqualTo("https://api.mppdigital.example/api/catalog/standards/akta-kelahiran/versions/1")
			.jsonPath("$['dct:title'][?(@['@language'] == 'en')]['@value']").isEqualTo("Birth certificate")
			.jsonPath("$['cv:hasCompetentAuthority']['@id']").isEqualTo("https://api.mppdigital.example/api/catalog/agencies/dukcapil")
			.jsonPath("$['cv:hasCompetentAuthority']['skos:prefLabel'][0]['@value']").isEqualTo("Dinas Kependudukan dan Pencatatan Sipil")
			.jsonPath("$['cpsv:hasInput'].length()").isEqualTo(3)
			.jsonPath("$['cv:hasCost'][0]['cv:value']['@value']").isEqualTo("0")
			.jsonPath("$['cv:hasCost'][0]['cv:currency']['@id']").isEqualTo("http://publications.europa.eu/resource/authority/currency/IDR")
			// working days, not an ISO 8601 duration a reader would take for calendar days
			.jsonPath("$['cv:processingTime']").doesNotExist()
			.jsonPath("$['mpp:processingTime']['@type']").isEqualTo("time:Duration")
			.jsonPath("$['mpp:processingTime']['time:numericDuration']['@value']").isEqualTo("3")
			.jsonPath("$['mpp:processingTime']['time:unitType']['@id']").isEqualTo("https://mppdigital.id/def/WorkingDay")
			.jsonPath("$['mpp:processingTime']['time:unitType']['rdfs:label'][?(@['@language'] == 'en')]['@value']")
			.isEqualTo("working day")
			.jsonPath("$['cpsv:follows'].length()").isEqualTo(5)
			.jsonPath("$['cpsv:follows'][1]['@id']")
			.isEqualTo("https://api.mppdigital.example/api/catalog/standards/akta-kelahiran/versions/1#step-2")
			.jsonPath("$['cpsv:follows'][1]['dct:identifier']").isEqualTo("akta-kelahiran/1/step/2");
		// plain JSON is still what an app gets by default
		this.client.get().uri("/standards/akta-kelahiran").exchange().expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON);
		this.client.get().uri("/standards/nope").accept(MediaType.valueOf("application/ld+json")).exchange()
			.expectStatus().isNotFound();
	}

	/**
	 * What a European registry would run on the export before taking it: the EU's own SHACL shapes of
	 * CPSV-AP 3.2.0 (a copy among the test resources, its source in the README beside it), with
	 * Apache Jena SHACL, over every standard the catalog lists.
	 */
	@Test
	void everyStandardConformsToTheEuShapesOfCpsvAp() throws Exception {
		Shapes shapes;
		try (InputStream in = new ClassPathResource("cpsv-ap/cpsv-ap-3.2.0-SHACL.ttl").getInputStream()) {
			shapes = Shapes.parse(RDFParser.create().source(in).lang(Lang.TURTLE).toGraph());
		}
		List<String> ids = this.client.get().uri("/standards").exchange()
			.expectStatus().isOk()
			.expectBodyList(Map.class).returnResult().getResponseBody()
			.stream().map(standard -> (String) standard.get("standardId")).toList();
		// the demo catalog: 60 standards (and any a test published since)
		assertThat(ids).hasSizeGreaterThanOrEqualTo(60);
		Map<String, String> failed = new TreeMap<>();
		for (String id : ids) {
			String exported = this.client.get().uri("/standards/{id}", id)
				.accept(MediaType.valueOf("application/ld+json"))
				.exchange()
				.expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
			Graph data = RDFParser.fromString(exported, Lang.JSONLD).toGraph();
			assertThat(data.size()).as(id).isGreaterThan(50);
			ValidationReport report = ShaclValidator.get().validate(shapes, data);
			if (!report.conforms()) {
				ByteArrayOutputStream text = new ByteArrayOutputStream();
				ShLib.printReport(text, report);
				failed.put(id, text.toString(StandardCharsets.UTF_8));
			}
		}
		assertThat(failed).as("standards whose export violates CPSV-AP 3.2.0").isEmpty();
	}

}
