package id.mppdigital.gateway.cache;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import id.mppdigital.gateway.system.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * A shared HTTP cache (RFC 9111) in front of the routes named in {@code mpp.gateway.response-cache}:
 * the gateway answers a repeated anonymous read itself, from memory, for as long as the service said
 * the answer stays fresh ({@code s-maxage} or {@code max-age}, capped by configuration).
 * <p>
 * Deliberately narrow, because a shared cache that stores the wrong answer leaks it:
 * <ul>
 * <li>only {@code GET} requests without {@code Authorization} or {@code Cookie} are looked up or
 * stored: whatever a signed-in caller sees goes to the service every time;</li>
 * <li>only {@code 200} answers with explicit freshness, no {@code private}, {@code no-store} or
 * {@code no-cache} directive (parsed one by one: Spring Cloud Gateway's own
 * {@code LocalResponseCache} compares the whole header value, CVE-2026-59427, unfixed in 5.0.4), no
 * {@code Set-Cookie}, and a {@code Vary} limited to the request headers that form the key;</li>
 * <li>a kept answer repeats only its representation headers; request ids, rate-limit state and
 * CORS headers stay those of the request at hand.</li>
 * </ul>
 * Kept answers serve {@code If-None-Match} revalidation with {@code 304}, carry {@code Age}, and a
 * client asking {@code Cache-Control: no-cache} reaches the service (and refreshes the copy). When
 * the service allowed it with {@code stale-if-error} (RFC 5861), an expired copy stands in for a
 * server error or an unreachable service for that long, so browsing survives a catalog outage. Every
 * answer says what happened in a {@code Cache-Status} header (RFC 9211).
 */
@Component
class SharedResponseCache implements GlobalFilter, Ordered {

	static final String CACHE_STATUS = "Cache-Status";

	private static final String NAME = "mpp-gateway";

	/** What a kept answer repeats: its representation, not anything about the request that fetched it. */
	private static final List<String> KEPT_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LANGUAGE,
			HttpHeaders.CONTENT_ENCODING, HttpHeaders.ETAG, HttpHeaders.LAST_MODIFIED, HttpHeaders.CACHE_CONTROL,
			HttpHeaders.VARY);

	/** Request headers that are part of every key, so answers may vary on them. */
	private static final List<String> KEY_HEADERS = List.of("accept", "accept-language", "accept-encoding");

	/**
	 * Request headers CORS answers vary on: the CORS headers are worked out for every request before
	 * this filter and never kept, so a body varying only on these is the same for everyone.
	 */
	private static final List<String> CORS_HEADERS = List.of("origin", "access-control-request-method",
			"access-control-request-headers");

	/**
	 * @param freshForNanos how long it is served without asking the service
	 * @param staleIfErrorNanos how much longer it may stand in for an answer that failed (RFC 5861)
	 */
	private record Kept(HttpHeaders headers, byte[] body, long storedAt, long freshForNanos, long staleIfErrorNanos) {

		long keptForNanos() {
			return this.freshForNanos + this.staleIfErrorNanos;
		}

		long ageSeconds(long now) {
			return TimeUnit.NANOSECONDS.toSeconds(now - this.storedAt);
		}

		boolean fresh(long now) {
			return now - this.storedAt < this.freshForNanos;
		}

	}

	private final GatewayProperties.ResponseCache config;

	private final Cache<String, Kept> kept;

	private final MeterRegistry meters;

	SharedResponseCache(GatewayProperties properties, MeterRegistry meters) {
		this.config = properties.responseCache();
		this.meters = meters;
		this.kept = Caffeine.newBuilder()
			.maximumWeight(this.config.maxSize().toBytes())
			.weigher((String key, Kept value) -> key.length() * 2 + value.body().length + 256)
			.expireAfter(new Expiry<String, Kept>() {

				@Override
				public long expireAfterCreate(String key, Kept value, long currentTime) {
					return value.keptForNanos();
				}

				@Override
				public long expireAfterUpdate(String key, Kept value, long currentTime, long currentDuration) {
					return value.keptForNanos();
				}

				@Override
				public long expireAfterRead(String key, Kept value, long currentTime, long currentDuration) {
					return currentDuration;
				}

			})
			.build();
		Gauge.builder("mpp.gateway.response.cache.size", this.kept, cache -> cache.estimatedSize())
			.description("Answers the gateway currently keeps")
			.register(meters);
	}

	@Override
	public int getOrder() {
		// after the rate limit (a limited caller is not served from memory either), before the
		// route's own filters: a kept answer needs neither breaker nor service
		return Ordered.HIGHEST_PRECEDENCE + 1001;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || !this.config.routes().contains(route.getId())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		Map<String, String> asked = directives(request.getHeaders().getOrEmpty(HttpHeaders.CACHE_CONTROL));
		if (request.getMethod() != HttpMethod.GET || request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
				|| request.getHeaders().containsHeader(HttpHeaders.COOKIE) || asked.containsKey("no-store")) {
			return forward(exchange, chain, route, "bypass", null, null);
		}
		String key = key(request);
		boolean revalidate = asked.containsKey("no-cache") || "0".equals(asked.get("max-age"))
				|| request.getHeaders().getOrEmpty(HttpHeaders.PRAGMA).contains("no-cache");
		long now = System.nanoTime();
		Kept hit = this.kept.getIfPresent(key);
		if (!revalidate && hit != null && hit.fresh(now)) {
			count(route, "hit");
			return serve(exchange, hit, now, NAME + "; hit; ttl="
					+ TimeUnit.NANOSECONDS.toSeconds(hit.storedAt() + hit.freshForNanos() - now));
		}
		return forward(exchange, chain, route, revalidate ? "request" : (hit != null ? "stale" : "miss"), key, hit);
	}

	private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, Route route, String why,
			String key, Kept standIn) {
		count(route, why);
		ServerHttpResponse response = (key == null) ? exchange.getResponse()
				: new Keeping(exchange, route, key, standIn, why);
		response.getHeaders().set(CACHE_STATUS, NAME + "; fwd=" + why);
		return chain.filter(exchange.mutate().response(response).build());
	}

	private Mono<Void> serve(ServerWebExchange exchange, Kept hit, long now, String cacheStatus) {
		return serve(exchange.getRequest(), exchange.getResponse(), hit, now, cacheStatus,
				body -> exchange.getResponse().writeWith(body));
	}

	private static Mono<Void> serve(ServerHttpRequest request, ServerHttpResponse response, Kept hit, long now,
			String cacheStatus, Function<Mono<DataBuffer>, Mono<Void>> write) {
		HttpHeaders headers = response.getHeaders();
		hit.headers().forEach((name, values) -> {
			if (HttpHeaders.VARY.equalsIgnoreCase(name)) {
				List<String> vary = new ArrayList<>(headers.getVary());
				values.stream().filter(value -> !vary.contains(value)).forEach(vary::add);
				headers.setVary(vary);
			}
			else {
				headers.put(name, values);
			}
		});
		headers.set(HttpHeaders.AGE, Long.toString(hit.ageSeconds(now)));
		headers.set(CACHE_STATUS, cacheStatus);
		String etag = hit.headers().getETag();
		if (etag != null && matches(request.getHeaders().getIfNoneMatch(), etag)) {
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			headers.remove(HttpHeaders.CONTENT_TYPE);
			headers.remove(HttpHeaders.CONTENT_LANGUAGE);
			headers.remove(HttpHeaders.CONTENT_ENCODING);
			headers.setContentLength(0);
			return write.apply(Mono.empty());
		}
		response.setStatusCode(HttpStatus.OK);
		headers.setContentLength(hit.body().length);
		return write.apply(Mono.fromSupplier(() -> response.bufferFactory().wrap(hit.body())));
	}

	/** Weak comparison (RFC 9110 13.1.2), as If-None-Match asks. */
	private static boolean matches(List<String> ifNoneMatch, String etag) {
		String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
		for (String candidate : ifNoneMatch) {
			String trimmed = candidate.trim();
			if ("*".equals(trimmed) || opaque.equals(trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed)) {
				return true;
			}
		}
		return false;
	}

	private static String key(ServerHttpRequest request) {
		// The host a client named is part of the key: services build public URLs from it (sent on
		// as X-Forwarded-Host), so an answer fetched under another name is never served for this one.
		StringBuilder key = new StringBuilder(request.getURI().getScheme()).append("://")
			.append(String.join(",", request.getHeaders().getOrEmpty(HttpHeaders.HOST)))
			.append(request.getURI().getRawPath());
		if (request.getURI().getRawQuery() != null) {
			key.append('?').append(request.getURI().getRawQuery());
		}
		for (String header : KEY_HEADERS) {
			key.append('\n').append(String.join(",", request.getHeaders().getOrEmpty(header)));
		}
		return key.toString();
	}

	/** Cache-Control directives by lower-case name; a directive without a value maps to "". */
	static Map<String, String> directives(List<String> cacheControl) {
		Map<String, String> directives = new HashMap<>();
		for (String value : cacheControl) {
			for (String directive : value.split(",")) {
				String trimmed = directive.trim();
				if (trimmed.isEmpty()) {
					continue;
				}
				int equals = trimmed.indexOf('=');
				String name = (equals < 0 ? trimmed : trimmed.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
				String argument = (equals < 0) ? "" : trimmed.substring(equals + 1).trim().replace("\"", "");
				directives.put(name, argument);
			}
		}
		return directives;
	}

	/** How long the answer stays fresh and may then stand in for failures; null when it must not be kept. */
	private Duration[] lifetimes(ServerHttpResponse response) {
		HttpHeaders headers = response.getHeaders();
		if (!HttpStatus.OK.equals(response.getStatusCode()) || headers.containsHeader(HttpHeaders.SET_COOKIE)
				|| headers.getContentLength() > this.config.maxEntrySize().toBytes()) {
			return null;
		}
		for (String vary : headers.getVary()) {
			String name = vary.trim().toLowerCase(Locale.ROOT);
			if (!KEY_HEADERS.contains(name) && !CORS_HEADERS.contains(name)) {
				return null;
			}
		}
		Map<String, String> said = directives(headers.getOrEmpty(HttpHeaders.CACHE_CONTROL));
		if (said.containsKey("private") || said.containsKey("no-store") || said.containsKey("no-cache")) {
			return null;
		}
		String lifetime = said.containsKey("s-maxage") ? said.get("s-maxage") : said.get("max-age");
		try {
			long seconds = (lifetime == null) ? 0 : Long.parseLong(lifetime);
			String age = headers.getFirst(HttpHeaders.AGE);
			seconds -= (age == null) ? 0 : Long.parseLong(age.trim());
			if (seconds <= 0) {
				return null;
			}
			String staleIfError = said.get("stale-if-error");
			Duration standIn = (staleIfError == null) ? Duration.ZERO : Duration.ofSeconds(Long.parseLong(staleIfError));
			return new Duration[] { min(Duration.ofSeconds(seconds), this.config.maxAge()),
					min(standIn, this.config.maxStaleIfError()) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

	private void count(Route route, String result) {
		this.meters.counter("mpp.gateway.response.cache", "route", route.getId(), "result", result).increment();
	}

	/**
	 * Passes the service's answer through and keeps a copy when it may be kept; when the service (or
	 * the gateway on its behalf: time limit, open breaker) answers with a server error and a stale
	 * copy may stand in, the citizen gets the copy instead.
	 */
	private final class Keeping extends ServerHttpResponseDecorator {

		private final ServerHttpRequest request;

		private final Route route;

		private final String key;

		private final Kept standIn;

		private final String why;

		Keeping(ServerWebExchange exchange, Route route, String key, Kept standIn, String why) {
			super(exchange.getResponse());
			this.request = exchange.getRequest();
			this.route = route;
			this.key = key;
			this.standIn = standIn;
			this.why = why;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			HttpStatusCode status = getStatusCode();
			long now = System.nanoTime();
			if (status != null && status.is5xxServerError() && this.standIn != null
					&& now - this.standIn.storedAt() < this.standIn.keptForNanos()) {
				count(this.route, "stale-if-error");
				// the failure's own body is dropped, the copy goes out in its place
				Flux.from(body).subscribe(DataBufferUtils::release);
				HttpHeaders headers = getHeaders();
				for (String name : List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.RETRY_AFTER,
						HttpHeaders.CONTENT_LANGUAGE, HttpHeaders.CONTENT_ENCODING, HttpHeaders.ETAG)) {
					headers.remove(name);
				}
				return serve(this.request, this, this.standIn, now,
						NAME + "; fwd=stale; fwd-status=" + status.value(), super::writeWith);
			}
			Duration[] lifetimes = lifetimes(getDelegate());
			if (lifetimes == null) {
				return super.writeWith(body);
			}
			long storedAt = System.nanoTime();
			HttpHeaders headers = new HttpHeaders();
			for (String name : KEPT_HEADERS) {
				List<String> values = getHeaders().getOrEmpty(name);
				if (!values.isEmpty()) {
					headers.put(name, new ArrayList<>(values));
				}
			}
			getHeaders().set(CACHE_STATUS, NAME + "; fwd=" + this.why + "; stored");
			long limit = SharedResponseCache.this.config.maxEntrySize().toBytes();
			ByteArrayOutputStream copy = new ByteArrayOutputStream();
			boolean[] tooLarge = { false };
			Flux<DataBuffer> teed = Flux.<DataBuffer>from(body).doOnNext(buffer -> {
				int count = buffer.readableByteCount();
				if (tooLarge[0] || copy.size() + count > limit) {
					tooLarge[0] = true;
					return;
				}
				int position = buffer.readPosition();
				byte[] bytes = new byte[count];
				buffer.read(bytes);
				buffer.readPosition(position);
				copy.writeBytes(bytes);
			}).doOnComplete(() -> {
				if (!tooLarge[0]) {
					SharedResponseCache.this.kept.put(this.key,
							new Kept(headers, copy.toByteArray(), storedAt, lifetimes[0].toNanos(), lifetimes[1].toNanos()));
				}
			});
			return super.writeWith(teed);
		}

	}

}
