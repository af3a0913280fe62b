package id.mppdigital.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import id.mppdigital.access.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's answers to clients that misbehave below the API, over a raw socket as such a client
 * would talk: connections that never finish a request are closed within seconds, and every refusal
 * is a problem document with a {@code type}, whichever layer refuses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "management.server.port=0", "mpp.http.idle-timeout=1s",
				"mpp.http.read-timeout=1s", "mpp.http.request-timeout=3s" })
class EdgeErrorsTests {

	static final FakeService service = new FakeService();

	static final TestIssuer issuer = new TestIssuer();

	@DynamicPropertySource
	static void discovery(DynamicPropertyRegistry registry) {
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri", service::uri);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		service.close();
		issuer.close();
	}

	/** What a raw exchange got: the answer's text (empty when none) and how long until the server closed. */
	record Raw(String answer, Duration closedAfter) {

		String status() {
			return this.answer.isEmpty() ? "" : this.answer.substring(9, 12);
		}

		String body() {
			int start = this.answer.indexOf("\r\n\r\n");
			return start < 0 ? "" : this.answer.substring(start + 4);
		}

	}

	/** Sends these bytes, then waits (at most 20 s) for the server to answer and close the connection. */
	private Raw send(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			long start = System.nanoTime();
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					answer.write(buffer, 0, read);
				}
			}
			catch (SocketTimeoutException ex) {
				return new Raw(answer.toString(StandardCharsets.UTF_8), Duration.ofSeconds(20));
			}
			catch (IOException reset) {
				// closed with a reset: as good as closed
			}
			return new Raw(answer.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
		}
	}

	@Test
	void aConnectionThatNeverSendsARequestIsClosed() throws IOException {
		Raw raw = send("");
		assertThat(raw.closedAfter()).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void halfSentHeadersAreNotWaitedForLong() throws IOException {
		Raw raw = send("GET /api/catalog/mpps HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: appl");
		assertThat(raw.closedAfter()).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void aBodyShorterThanItsContentLengthIsCutOff() throws IOException {
		Raw raw = send("POST /api/catalog/mpps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				+ "Authorization: Bearer " + issuer.citizen("c-slow") + "\r\nContent-Length: 100\r\n\r\n{\"name\":");
		assertThat(raw.closedAfter()).isLessThan(Duration.ofSeconds(5));
		assertThat(service.received).noneMatch(received -> received.body().startsWith("{\"name\""));
	}

	@Test
	void aTooLongRequestLineIsAProblemDocument() throws IOException {
		Raw raw = send("GET /api/catalog/mpps?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
		assertThat(raw.status()).isEqualTo("414");
		assertThat(raw.answer()).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(raw.body()).contains("\"type\":\"https://mppdigital.id/problems/uri-too-long\"", "\"status\":414");
	}

	@Test
	void tooLargeHeadersAreAProblemDocument() throws IOException {
		Raw raw = send("GET /api/catalog/mpps HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000)
				+ "\r\n\r\n");
		assertThat(raw.status()).isEqualTo("431");
		assertThat(raw.body()).contains("\"type\":\"https://mppdigital.id/problems/request-header-fields-too-large\"");
	}

}
