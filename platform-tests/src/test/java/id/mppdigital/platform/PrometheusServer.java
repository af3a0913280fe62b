package id.mppdigital.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's, which .ci/run installs) running the platform's own
 * {@code ops/prometheus/prometheus.yml} against a local stack: the same discovery through the
 * registry, the same relabelling and the same alert rules; only the registry's address and
 * credentials, the rules' paths and the intervals (2 s) are the test's. Loopback only.
 */
final class PrometheusServer implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/prometheus");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final String url;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private PrometheusServer(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	/**
	 * @param registry the stack's registry, {@code 127.0.0.1:10761}
	 * @param user, password the registry's credentials for discovery
	 */
	static PrometheusServer start(Path dir, String registry, String user, String password) throws IOException {
		Path ops = DeploymentDocumentsTests.ROOT.resolve("ops/prometheus");
		Files.createDirectories(dir);
		Path secret = dir.resolve("registry-password");
		Files.writeString(secret, password);
		String config = Files.readString(ops.resolve("prometheus.yml"))
			.replace("scrape_interval: 15s", "scrape_interval: 2s")
			.replace("evaluation_interval: 15s", "evaluation_interval: 2s")
			.replace("refresh_interval: 15s", "refresh_interval: 2s")
			.replace("http://registry:8761/eureka", "http://" + registry + "/eureka")
			.replace("\"registry:8761\"", "\"" + registry + "\"")
			.replace("username: prometheus", "username: " + user)
			.replace("/run/secrets/registry-prometheus-password", secret.toAbsolutePath().toString())
			.replace("  - alerts.yml", "  - " + ops.resolve("alerts.yml").toAbsolutePath())
			.replace("  - rules/*.yml", "  - " + ops.resolve("rules").toAbsolutePath() + "/*.yml");
		Path file = dir.resolve("prometheus.yml");
		Files.writeString(file, config);
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file.toAbsolutePath(),
				"--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
				"--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("prometheus.log").toFile())
			.start();
		return new PrometheusServer(process, "http://127.0.0.1:" + port);
	}

	/** The answer's {@code data} ({@code /api/v1/<path>}), or an error with what Prometheus said. */
	JsonNode api(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.url + "/api/v1/" + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode answer = json.readTree(response.body());
		if (!"success".equals(answer.path("status").asString())) {
			throw new IllegalStateException(path + ": " + response.body());
		}
		return answer.path("data");
	}

	/** An instant query's result vector. */
	JsonNode query(String promql) throws IOException, InterruptedException {
		return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
	}

	/** Waits until Prometheus answers (true), or gives up after {@code limit}. */
	boolean awaitReady(Duration limit) throws InterruptedException {
		long until = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < until) {
			try {
				api("status/buildinfo");
				return true;
			}
			catch (IOException | IllegalStateException notYet) {
				Thread.sleep(250);
			}
		}
		return false;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
