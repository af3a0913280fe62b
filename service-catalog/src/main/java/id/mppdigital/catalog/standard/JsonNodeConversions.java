package id.mppdigital.catalog.standard;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;

/**
 * Application forms (JSON Schemas) are stored as JSON text: their keys ({@code $schema},
 * {@code $defs}, {@code $ref}) cannot be MongoDB field names.
 */
@Configuration(proxyBeanMethods = false)
class JsonNodeConversions {

	@Bean
	MongoCustomConversions mongoCustomConversions(JsonMapper json) {
		return new MongoCustomConversions(List.of(new Write(json), new Read(json)));
	}

	@WritingConverter
	record Write(JsonMapper json) implements Converter<JsonNode, String> {

		@Override
		public String convert(JsonNode source) {
			return this.json.writeValueAsString(source);
		}

	}

	@ReadingConverter
	record Read(JsonMapper json) implements Converter<String, JsonNode> {

		@Override
		public JsonNode convert(String source) {
			return this.json.readTree(source);
		}

	}

}
