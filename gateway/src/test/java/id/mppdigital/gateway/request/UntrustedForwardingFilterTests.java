package id.mppdigital.gateway.request;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import id.mppdigital.gateway.system.GatewayProperties;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/** Whose forwarding headers the gateway believes: only those of the proxies it was told about. */
class UntrustedForwardingFilterTests {

	private static HttpHeaders passedOn(String trustedProxies, String peer) {
		GatewayProperties properties = new GatewayProperties(null, null, null, null, 0, null, null, 0, null,
				trustedProxies);
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/catalog/mpps")
			.remoteAddress(new InetSocketAddress(peer, 40000))
			.header("X-Forwarded-Prefix", "/evil")
			.header("x-forwarded-host", "evil.example")
			.header("Forwarded", "host=evil.example")
			.header("Accept", "application/json"));
		AtomicReference<HttpHeaders> seen = new AtomicReference<>();
		new UntrustedForwardingFilter(properties).filter(exchange, next -> {
			seen.set(next.getRequest().getHeaders());
			return Mono.empty();
		}).block();
		return seen.get();
	}

	@Test
	void aClientsForwardingHeadersAreDroppedWhenNoProxyIsTrusted() {
		HttpHeaders headers = passedOn("", "127.0.0.1");
		assertThat(headers.containsHeader("X-Forwarded-Prefix")).isFalse();
		assertThat(headers.containsHeader("X-Forwarded-Host")).isFalse();
		assertThat(headers.containsHeader("Forwarded")).isFalse();
		assertThat(headers.getFirst("Accept")).isEqualTo("application/json");
	}

	@Test
	void onlyTheNamedProxiesAreBelieved() {
		assertThat(passedOn("10[.]0[.]0[.]5", "10.0.0.5").getFirst("X-Forwarded-Host")).isEqualTo("evil.example");
		assertThat(passedOn("10[.]0[.]0[.]5", "10.0.0.50").containsHeader("X-Forwarded-Host")).isFalse();
		assertThat(passedOn("10[.]0[.]0[.]5", "127.0.0.1").containsHeader("Forwarded")).isFalse();
	}

}
