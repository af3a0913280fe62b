package id.mppdigital.benchmarks;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The same small endpoint called directly on the service and through the gateway, side by side in
 * one run, one phase after the other so they never compete for the CPU:
 * <ol>
 * <li>latency at a fixed open-model arrival rate (default 1,000 req/s): requests named
 * {@code fixed-direct} and {@code fixed-gateway};</li>
 * <li>capacity: a closed model of N users each sending as fast as answers come back (default 64),
 * requests named {@code capacity-direct} and {@code capacity-gateway}.</li>
 * </ol>
 * With {@code reference.url} set (a reference reverse proxy such as nginx in front of the same service),
 * the same phases run a third time against it ({@code -reference}), to tell what any proxy costs on
 * this machine from what Spring Cloud Gateway costs.
 * Settings come from system properties (see pom.xml); everything stays on loopback.
 */
public class GatewayOverheadSimulation extends Simulation {

	/** One path, or several separated by {@code |}: each request takes one of them at random. */
	static final List<String> PATHS = List.of(System.getProperty("path", "/mpps/kota-probolinggo").split("\\|"));

	/** e.g. {@code no-cache}: every request then reaches the service, past the gateway's shared cache */
	static final String CACHE_CONTROL = System.getProperty("request.cache-control", "");

	static final int RATE = Integer.getInteger("fixed.rate", 1000);

	static final Duration FIXED = Duration.ofSeconds(Integer.getInteger("fixed.seconds", 30));

	static final int USERS = Integer.getInteger("capacity.users", 64);

	static final Duration CAPACITY = Duration.ofSeconds(Integer.getInteger("capacity.seconds", 30));

	static Iterator<Map<String, Object>> paths() {
		return Stream.generate(
				() -> Map.<String, Object>of("path", PATHS.get(ThreadLocalRandom.current().nextInt(PATHS.size()))))
			.iterator();
	}

	HttpProtocolBuilder protocol(String baseUrl) {
		HttpProtocolBuilder protocol = http.baseUrl(baseUrl);
		if (!CACHE_CONTROL.isBlank()) {
			protocol = protocol.header("Cache-Control", CACHE_CONTROL);
		}
		return protocol
			.acceptHeader("application/json")
			// keep-alive connections shared by all virtual users, as an app fleet behind a NAT
			.shareConnections()
			// every request reaches the server: Gatling would otherwise honour Cache-Control and
			// answer a looping user from its own cache (the catalog's reads are cacheable)
			.disableCaching()
			.disableWarmUp();
	}

	ScenarioBuilder once(String name) {
		return scenario(name).feed(paths()).exec(http(name).get("#{path}").check(status().is(200)));
	}

	ScenarioBuilder loop(String name) {
		return scenario(name).during(CAPACITY)
			.on(feed(paths()).exec(http(name).get("#{path}").check(status().is(200))));
	}

	PopulationBuilder fixed(String name, String baseUrl) {
		return once(name).injectOpen(constantUsersPerSec(RATE).during(FIXED)).protocols(protocol(baseUrl));
	}

	PopulationBuilder capacity(String name, String baseUrl) {
		return loop(name).injectClosed(constantConcurrentUsers(USERS).during(CAPACITY)).protocols(protocol(baseUrl));
	}

	{
		String direct = System.getProperty("direct.url", "http://127.0.0.1:8081");
		String gateway = System.getProperty("gateway.url", "http://127.0.0.1:8080/api/catalog");
		String reference = System.getProperty("reference.url", "");
		// a warm-up of every path first, so none is measured while its JIT is still cold
		PopulationBuilder chain = capacity("warmup-direct", direct).andThen(capacity("warmup-gateway", gateway));
		if (!reference.isBlank()) {
			chain = chain.andThen(capacity("warmup-reference", reference));
		}
		chain = chain.andThen(fixed("fixed-direct", direct)).andThen(fixed("fixed-gateway", gateway));
		if (!reference.isBlank()) {
			chain = chain.andThen(fixed("fixed-reference", reference));
		}
		chain = chain.andThen(capacity("capacity-direct", direct)).andThen(capacity("capacity-gateway", gateway));
		if (!reference.isBlank()) {
			chain = chain.andThen(capacity("capacity-reference", reference));
		}
		setUp(chain)
			.assertions(global().failedRequests().percent().lt(1.0));
	}

}
