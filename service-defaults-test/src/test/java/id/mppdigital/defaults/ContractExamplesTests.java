package id.mppdigital.defaults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples in each published contract are what integrators copy first: every one of them fits
 * its schema, as a consumer checks it ({@link Contracts}), and the same record without a required
 * field does not.
 */
class ContractExamplesTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final Contracts contracts = new Contracts(this.json);

	@Test
	void everyExampleOfEveryContractFitsItsSchemaAndOneMissingARequiredFieldDoesNot() throws IOException {
		Resource[] schemas = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:contracts/events/*.schema.json");
		assertThat(schemas).hasSizeGreaterThanOrEqualTo(11);
		List<String> checked = new ArrayList<>();
		for (Resource schema : schemas) {
			String contract = schema.getFilename().replace(".schema.json", "");
			JsonNode document = this.json.readTree(schema.getInputStream());
			assertThat(document.path("examples").size()).as("%s has examples", contract).isPositive();
			for (JsonNode example : document.path("examples")) {
				assertThat(this.contracts.read(contract, this.json.writeValueAsString(example), Map.class)).isNotEmpty();
				checked.add(contract);
				String required = document.path("required").get(0).asString();
				ObjectNode incomplete = ((ObjectNode) example.deepCopy());
				incomplete.remove(required);
				assertThatThrownBy(() -> this.contracts.read(contract, this.json.writeValueAsString(incomplete), Map.class))
					.as("%s without %s", contract, required)
					.isInstanceOf(ContractViolation.class);
			}
		}
		assertThat(checked).contains("mpp.application.submitted.v1", "mpp.notification.delivery-reported.v1");
	}

}
