package id.mppdigital.gateway.request;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import id.mppdigital.gateway.system.GatewayProperties;
import id.mppdigital.problems.ProblemWriter;
import id.mppdigital.problems.Problems;
import id.mppdigital.problems.StrictJson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses request bodies no service should have to read. JSON bodies are small: they are read
 * whole (up to {@code mpp.gateway.max-json-body}) and must be one well-formed JSON value, so a
 * malformed or oversized document gets a 400/413 here and never costs a service anything. Other
 * bodies (uploads) stream through, counted, up to {@code mpp.gateway.max-body}, whether or not the
 * client announced a Content-Length.
 */
@Component
class RequestBodyGuard implements WebFilter, Ordered {

	private final ProblemWriter problems;

	private final JsonMapper jsonMapper;

	private final long maxJsonBody;

	private final long maxBody;

	RequestBodyGuard(ProblemWriter problems, JsonMapper jsonMapper, GatewayProperties properties) {
		this.problems = problems;
		this.jsonMapper = jsonMapper;
		this.maxJsonBody = properties.maxJsonBody().toBytes();
		this.maxBody = properties.maxBody().toBytes();
	}

	@Override
	public int getOrder() {
		// after authentication (Spring Security runs at -100): an anonymous request to a
		// protected path is refused before its body is read
		return -90;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		long declared = headers.getContentLength();
		if (declared <= 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return chain.filter(exchange);
		}
		boolean json = isJson(headers.getContentType());
		long limit = json ? this.maxJsonBody : this.maxBody;
		if (declared > limit) {
			return tooLarge(exchange, limit);
		}
		if (!json) {
			return chain.filter(exchange.mutate().request(counted(request, limit)).build());
		}
		return DataBufferUtils.join(request.getBody(), (int) limit)
			.map(RequestBodyGuard::drain)
			.defaultIfEmpty(new byte[0])
			.flatMap(body -> {
				Problems.FieldError wrong = (body.length > 0) ? notOneJsonValue(body) : null;
				if (wrong != null) {
					return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "malformed-json",
							"The request body is not well-formed JSON.", List.of(wrong));
				}
				return chain.filter(exchange.mutate()
					.request(replayed(request, exchange.getResponse().bufferFactory(), body))
					.build());
			})
			.onErrorResume(DataBufferLimitException.class, ex -> tooLarge(exchange, limit));
	}

	private Mono<Void> tooLarge(ServerWebExchange exchange, long limit) {
		return this.problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "content-too-large",
				"The request body is larger than the " + limit + " bytes this API accepts.");
	}

	/**
	 * What is wrong with a body that should be one JSON value, or null: read to its end with the same
	 * rules as the services (a key twice in an object, nesting beyond the limit), never bound.
	 */
	private Problems.FieldError notOneJsonValue(byte[] body) {
		try (JsonParser parser = this.jsonMapper.createParser(body)) {
			if (parser.nextToken() == null) {
				return new Problems.FieldError("", "is empty");
			}
			parser.skipChildren();
			return (parser.nextToken() == null) ? null
					: new Problems.FieldError("", "has more than one JSON value; send exactly one");
		}
		catch (JacksonException ex) {
			return StrictJson.describe(ex);
		}
	}

	static boolean isJson(MediaType type) {
		return type != null && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
				|| (type.getSubtype() != null && type.getSubtype().endsWith("+json")));
	}

	private static byte[] drain(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private static ServerHttpRequest replayed(ServerHttpRequest request, DataBufferFactory factory, byte[] body) {
		return new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(factory.wrap(body)));
			}
		};
	}

	private static ServerHttpRequest counted(ServerHttpRequest request, long limit) {
		return new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				AtomicLong seen = new AtomicLong();
				return super.getBody().doOnNext(buffer -> {
					if (seen.addAndGet(buffer.readableByteCount()) > limit) {
						DataBufferUtils.release(buffer);
						throw new DataBufferLimitException("request body exceeds " + limit + " bytes");
					}
				});
			}
		};
	}

}
