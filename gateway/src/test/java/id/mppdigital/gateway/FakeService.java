package id.mppdigital.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpHeaders;

/**
 * A real HTTP service on loopback standing in for a platform service behind the gateway. It
 * records what reached it, and answers after {@code delayMs} milliseconds when the query asks.
 */
final class FakeService implements AutoCloseable {

	record Received(String method, String path, HttpHeaders headers, String body) {
	}

	final List<Received> received = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	private static final Pattern DELAY = Pattern.compile("[?&]delayMs=(\\d+)");

	/** {@code respond-Cache-Control=public,max-age=60}: a header the answer carries */
	private static final Pattern RESPOND = Pattern.compile("[?&]respond-([A-Za-z-]+)=([^&]*)");

	private final AtomicInteger answers = new AtomicInteger();

	/** When not 0, every request is answered with this status (a failing service). */
	volatile int failWith;

	/** When not 0, every request waits this long before its answer (a hanging service). */
	volatile int hangMs;

	FakeService() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.flatMap(body -> {
					HttpHeaders headers = new HttpHeaders();
					request.requestHeaders().forEach(entry -> headers.add(entry.getKey(), entry.getValue()));
					this.received.add(new Received(request.method().name(), request.uri(), headers, body));
					Matcher delayMs = DELAY.matcher(request.uri());
					long waitMs = delayMs.find() ? Long.parseLong(delayMs.group(1)) : this.hangMs;
					Mono<Void> delay = (waitMs > 0) ? Mono.delay(Duration.ofMillis(waitMs)).then() : Mono.empty();
					if (this.failWith != 0) {
						return delay.then(response.status(this.failWith)
							.header("Content-Type", "application/problem+json")
							.sendString(Mono.just("{\"status\":" + this.failWith + "}"))
							.then());
					}
					response.header("Content-Type", "application/json");
					Matcher respond = RESPOND.matcher(request.uri());
					while (respond.find()) {
						response.addHeader(respond.group(1), URLDecoder.decode(respond.group(2), StandardCharsets.UTF_8));
					}
					// which answer this is, and the language asked for: tells a kept answer from a new one
					String answer = "{\"path\":\"" + request.uri() + "\",\"answer\":" + this.answers.incrementAndGet()
							+ ",\"language\":\"" + headers.getFirst("Accept-Language") + "\"}";
					return delay.then(response.sendString(Mono.just(answer)).then());
				}))
			.bindNow();
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** A loopback port nothing listens on: connecting to it is refused at once. */
	static String deadUri() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
