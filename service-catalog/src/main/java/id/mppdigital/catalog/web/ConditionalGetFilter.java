package id.mppdigital.catalog.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Conditional GETs on the catalog's reads: every successful JSON answer gets a strong {@code ETag}
 * (a hash of the body) and a {@code Cache-Control}; a request whose {@code If-None-Match} names it
 * gets {@code 304} without a body. Published versions never change, so they may be cached for a day;
 * everything else for a minute. Answers to a request with a token are private (they may show drafts).
 */
@Component
class ConditionalGetFilter implements WebFilter, Ordered {

	private static final Pattern CATALOG_READS = Pattern.compile("/(mpps|agencies|standards|holidays)(/.*)?");

	private static final Pattern VERSION = Pattern.compile("/standards/[^/]+/versions/\\d+");

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (exchange.getRequest().getMethod() != HttpMethod.GET || !CATALOG_READS.matcher(path).matches()) {
			return chain.filter(exchange);
		}
		boolean withToken = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
		List<String> ifNoneMatch = exchange.getRequest().getHeaders().getIfNoneMatch();
		ServerHttpResponseDecorator response = new ServerHttpResponseDecorator(exchange.getResponse()) {

			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
				MediaType type = getHeaders().getContentType();
				if (!HttpStatus.OK.equals(getStatusCode()) || type == null
						|| !(type.isCompatibleWith(MediaType.APPLICATION_JSON) || "ld+json".equals(type.getSubtype()))) {
					return super.writeWith(body);
				}
				return DataBufferUtils.join(body).flatMap(buffer -> {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					DataBufferUtils.release(buffer);
					String etag = etag(bytes);
					getHeaders().setETag(etag);
					// lists follow Accept-Language, a standard's detail Accept (JSON or JSON-LD): a shared
					// cache (the gateway's, a CDN's) must keep them apart
					getHeaders().setVary(List.of(HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_LANGUAGE));
					// shared caches may hand out an older copy for 10 minutes while the catalog fails
					getHeaders().setCacheControl(withToken ? "private, no-cache"
							: VERSION.matcher(path).matches() ? "public, max-age=86400, stale-if-error=600"
									: "public, max-age=60, stale-if-error=600");
					if (ifNoneMatch.contains(etag) || ifNoneMatch.contains("*")) {
						setStatusCode(HttpStatus.NOT_MODIFIED);
						getHeaders().remove(HttpHeaders.CONTENT_TYPE);
						getHeaders().setContentLength(0);
						return super.writeWith(Mono.empty());
					}
					getHeaders().setContentLength(bytes.length);
					return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
				});
			}

		};
		return chain.filter(exchange.mutate().response(response).build());
	}

	static String etag(byte[] body) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
