package id.mppdigital.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.identity.IdentityClient;
import id.mppdigital.localstack.LocalStack;
import id.mppdigital.localstack.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform as a newcomer gets it from the one run command: every module's real jar in its own
 * JVM, a real Kafka broker, the MongoDB-wire store, Eureka and the gateway; here on ports shifted by
 * 2000 so it can run beside a developer's own stack (and below the kernel's ephemeral ports).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIntegrationTests {

	private static final int OFFSET = 2000;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static LocalStack stack;

	@BeforeAll
	static void start() {
		Path root = Path.of("..").toAbsolutePath().normalize();
		stack = LocalStack.start(new LocalStack.Options(root, Path.of("target", "e2e-stack"), true, OFFSET, 240, false));
		stack.awaitReady(Duration.ofSeconds(240));
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
			assertThat(stack.services()).allSatisfy(service -> assertThat(service.process().isAlive()).isFalse());
		}
	}

	@Test
	@Order(1)
	void everyServiceIsHealthyOnItsOwnDatabaseAndHidesOtherActuatorEndpoints() throws Exception {
		String platformAdmin = identity().signIn("platform.admin", "mpp-demo").orElseThrow();
		for (Service service : stack.services()) {
			String actuator = "http://127.0.0.1:" + service.managementPort() + "/actuator";
			JsonNode health = json.readTree(get(actuator + "/health").body());
			assertThat(health.path("status").asString()).as(service.name()).isEqualTo("UP");
			if (service.database() != null) {
				assertThat(health.path("components").path("mongo").path("status").asString()).as(service.name())
					.isEqualTo("UP");
			}
			assertThat(get(actuator + "/prometheus").body()).contains("application=\"" + service.name() + "\"");
			// not there, not even for a platform administrator (without a token: 401, or 404 on the registry)
			assertThat(get(actuator + "/env").statusCode()).as(service.name()).isIn(401, 404);
			assertThat(send("GET", actuator + "/env", platformAdmin, null).statusCode()).as(service.name()).isEqualTo(404);
			assertThat(send("GET", actuator + "/beans", platformAdmin, null).statusCode()).as(service.name())
				.isEqualTo(404);
		}
	}

	@Test
	@Order(1)
	void nothingOfTheStackListensBeyondLoopback() throws Exception {
		Path tcp = Path.of("/proc/net/tcp");
		Assumptions.assumeTrue(Files.isReadable(tcp), "no /proc/net/tcp here (not Linux): listening addresses not checked");
		java.util.Set<Integer> ports = new java.util.TreeSet<>();
		stack.services().forEach(service -> {
			ports.add(service.port());
			ports.add(service.managementPort());
		});
		Map<Integer, List<String>> listening = new java.util.TreeMap<>();
		for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
			if (!Files.isReadable(table)) {
				continue;
			}
			List<String> lines = Files.readAllLines(table);
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.trim().split("\\s+");
				// state 0A is LISTEN; the local address is hex, the port after the colon
				if (fields[3].equals("0A")) {
					String[] local = fields[1].split(":");
					int port = Integer.parseInt(local[1], 16);
					if (ports.contains(port)) {
						listening.computeIfAbsent(port, any -> new ArrayList<>()).add(local[0]);
					}
				}
			}
		}
		// every service and management port, the registry's included
		assertThat(listening.keySet()).containsAll(ports);
		listening.forEach((port, addresses) -> assertThat(addresses).as("port %d", port)
			.allSatisfy(address -> assertThat(address).as("port %d listens on %s", port, address)
				// 127.0.0.0/8, ::ffff:127.0.0.0/104 and ::1, as the kernel prints them (each 32-bit word little-endian)
				.matches("[0-9A-F]{6}7F|0{16}FFFF0000[0-9A-F]{6}7F|0{24}01000000")));
	}

	@Test
	@Order(2)
	void theGatewayRoutesToTheCatalogFoundThroughEureka() throws Exception {
		HttpResponse<String> response = get(stack.gatewayUrl() + "/api/catalog/mpps?province=Jawa%20Timur");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
		List<String> ids = json.readTree(response.body()).valueStream().map(mpp -> mpp.path("id").asString()).toList();
		assertThat(ids).containsExactly("kabupaten-banyuwangi", "kota-malang", "kota-probolinggo", "kota-surabaya");
	}

	@Test
	@Order(3)
	void servicesActuatorsAndTheRegistryAreNotReachableThroughTheGateway() throws Exception {
		String platformAdmin = identity().signIn("platform.admin", "mpp-demo").orElseThrow();
		for (String path : List.of("/api/catalog/actuator/health", "/api/queues/actuator/env", "/eureka/apps",
				"/actuator/health", "/")) {
			// anonymous callers learn nothing (401 outside the public paths); signed-in ones find nothing
			assertThat(get(stack.gatewayUrl() + path).statusCode()).as(path).isIn(401, 404);
			HttpResponse<String> response = send("GET", stack.gatewayUrl() + path, platformAdmin, null);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
		}
	}

	@Test
	@Order(4)
	void theGatewayServesEveryServicesApiDocumentUnderItsPublicUrl() throws Exception {
		JsonNode config = json.readTree(get(stack.gatewayUrl() + "/v3/api-docs/swagger-config").body());
		List<String> urls = config.path("urls").valueStream().map(url -> url.path("url").asString()).toList();
		assertThat(urls).containsExactlyInAnyOrder("/api/catalog/v3/api-docs", "/api/applications/v3/api-docs",
				"/api/queues/v3/api-docs", "/api/notifications/v3/api-docs");
		Path documents = Files.createDirectories(Path.of("target", "openapi"));
		for (String url : urls) {
			HttpResponse<String> doc = get(stack.gatewayUrl() + url);
			assertThat(doc.statusCode()).as(url).isEqualTo(200);
			String prefix = url.substring(0, url.indexOf("/v3/"));
			assertThat(json.readTree(doc.body()).path("servers").get(0).path("url").asString()).as(url)
				.isEqualTo(stack.gatewayUrl() + prefix);
			// as integrators read it: Redocly's linter, its recommended rules (exceptions with their
			// reasons in tools/api-lint/redocly.yaml)
			Path document = documents.resolve(prefix.substring(prefix.lastIndexOf('/') + 1) + ".json");
			Files.writeString(document, doc.body());
			NodeTools.Result lint = NodeTools.bin("redocly", "lint", "--config", "redocly.yaml", "--format=json",
					document.toAbsolutePath().toString());
			JsonNode totals = json.readTree(lint.output()).path("totals");
			assertThat(totals.path("errors").asInt(-1)).as(url + ":\n" + lint.output()).isZero();
			assertThat(totals.path("warnings").asInt(-1)).as(url + ":\n" + lint.output()).isZero();
			assertThat(lint.exitCode()).as(url).isZero();
		}
		assertThat(get(stack.gatewayUrl() + "/swagger-ui.html").statusCode()).isIn(200, 302);
	}

	@Test
	@Order(4)
	void everyProblemFromEveryModuleAndTheGatewayCarriesItsRequestId() throws Exception {
		String citizen = identity().signIn("budi", "mpp-demo").orElseThrow();
		for (String path : List.of("/api/catalog/mpps/no-such-mpp", "/api/catalog/no-such-thing",
				"/api/applications/PMH-20261207-NOSUCHAP", "/api/queues/tickets/no-such-ticket",
				"/api/notifications/no-such-thing", "/no-such-route")) {
			HttpResponse<String> response = send("GET", stack.gatewayUrl() + path, citizen, null);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
			assertThat(response.headers().allValues("X-Request-Id")).as(path).hasSize(1);
			assertThat(json.readTree(response.body()).path("requestId").asString()).as(path)
				.isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
		}
	}

	@Test
	@Order(5)
	void tokensFromTheIdentityServerAreCheckedAtTheGatewayAndAgainAtTheService() throws Exception {
		IdentityClient identity = identity();
		String adminOfSurabaya = identity.signIn("admin.surabaya", "mpp-demo").orElseThrow();
		String adminOfProbolinggo = identity.signIn("admin.probolinggo", "mpp-demo").orElseThrow();
		String citizen = identity.signIn("siti", "mpp-demo").orElseThrow();
		String agencySystem = identity.clientCredentials("agency-dukcapil", "demo-dukcapil-secret");
		String details = """
				{"name": "MPP Kota Surabaya", "regionCode": "35.78", "province": "Jawa Timur",
				 "timeZone": "Asia/Jakarta", "address": "Gedung Siola, Jl. Tunjungan No. 1-3, Surabaya"}""";
		String catalog = stack.services().stream().filter(s -> s.name().equals("service-catalog")).findFirst()
			.orElseThrow().baseUrl();
		for (String url : List.of(stack.gatewayUrl() + "/api/catalog/mpps/kota-surabaya", catalog + "/mpps/kota-surabaya")) {
			HttpResponse<String> anonymous = send("PUT", url, null, details);
			assertThat(anonymous.statusCode()).as(url).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(url).hasValue("Bearer realm=\"mpp-digital\"");
			assertThat(send("PUT", url, adminOfSurabaya + "x", details).statusCode()).as(url).isEqualTo(401);
			assertThat(send("PUT", url, citizen, details).statusCode()).as(url).isEqualTo(403);
			assertThat(send("PUT", url, agencySystem, details).statusCode()).as(url).isEqualTo(403);
			assertThat(send("PUT", url, adminOfProbolinggo, details).statusCode()).as(url).isEqualTo(403);
			assertThat(send("PUT", url, adminOfSurabaya, details).statusCode()).as(url).isEqualTo(200);
		}
		assertThat(json.readTree(get(stack.gatewayUrl() + "/api/catalog/mpps/kota-surabaya").body()).path("address")
			.asString()).startsWith("Gedung Siola");
	}

	@Test
	@Order(6)
	void aCitizensApplicationIsTheirsAndTheirAgencysOnlyWithRealTokens() throws Exception {
		IdentityClient identity = identity();
		String siti = identity.signIn("siti", "mpp-demo").orElseThrow();
		String budi = identity.signIn("budi", "mpp-demo").orElseThrow();
		String submission = """
				{"mppId": "kota-probolinggo", "standardId": "ktp-el-penggantian",
				 "form": {"nik": "3574010101900001", "nama": "Siti Aminah", "telepon": "081234567890"}}""";
		// the service learns the catalog's standards from its events: wait until it knows this one
		HttpResponse<String> submitted = send("POST", stack.gatewayUrl() + "/api/applications", siti, submission);
		long started = System.nanoTime();
		while (submitted.statusCode() == 422 && Duration.ofNanos(System.nanoTime() - started).toSeconds() < 60) {
			Thread.sleep(500);
			submitted = send("POST", stack.gatewayUrl() + "/api/applications", siti, submission);
		}
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
		String id = json.readTree(submitted.body()).path("id").asString();
		assertThat(json.readTree(submitted.body()).path("agencyId").asString()).isEqualTo("dukcapil");
		assertThat(submitted.headers().firstValue("Location")).hasValue("/api/applications/" + id);
		// the receipt: anyone can check it through the gateway without a token
		String verify = json.readTree(submitted.body()).path("receipt").path("verifyUrl").asString();
		HttpResponse<String> receipt = get(stack.gatewayUrl() + verify);
		assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
		assertThat(receipt.body()).contains(id).doesNotContain("3574010101900001");
		assertThat(get(stack.gatewayUrl() + verify.replaceAll("code=.*", "code=AAAA-AAAA-AAAA-AAAA")).statusCode())
			.isEqualTo(404);
		// due on a working day after today at the MPP, from the catalog's calendar (1 working day for a replacement KTP-el)
		LocalDate due = LocalDate.parse(json.readTree(submitted.body()).path("dueDate").asString());
		assertThat(due).isAfter(LocalDate.now(ZoneId.of("Asia/Jakarta")).minusDays(1));
		assertThat(due.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

		String service = stack.services().stream().filter(s -> s.name().equals("application-service")).findFirst()
			.orElseThrow().baseUrl();
		Map<String, Integer> expected = new LinkedHashMap<>();
		expected.put(siti, 200);
		expected.put(budi, 404);
		expected.put(identity.signIn("officer.dukcapil.probolinggo", "mpp-demo").orElseThrow(), 200);
		expected.put(identity.signIn("officer.polri.surabaya", "mpp-demo").orElseThrow(), 403);
		expected.put(identity.clientCredentials("agency-dukcapil", "demo-dukcapil-secret"), 200);
		expected.put(identity.clientCredentials("agency-polri", "demo-polri-secret"), 403);
		for (String url : List.of(stack.gatewayUrl() + "/api/applications/" + id, service + "/" + id)) {
			int caller = 0;
			for (Map.Entry<String, Integer> entry : expected.entrySet()) {
				assertThat(send("GET", url, entry.getKey(), null).statusCode()).as(url + " caller " + caller++)
					.isEqualTo(entry.getValue());
			}
			assertThat(get(url).statusCode()).as(url).isEqualTo(401);
		}

		// acting on it: another agency's officer and machine client are refused
		String state = stack.gatewayUrl() + "/api/applications/" + id + "/state";
		String inProcess = "{\"state\": \"IN_PROCESS\", \"agencyReference\": \"DUKCAPIL-2026-0001\"}";
		assertThat(send("POST", state, identity.signIn("officer.polri.surabaya", "mpp-demo").orElseThrow(), inProcess)
			.statusCode()).isEqualTo(403);
		assertThat(send("POST", state, identity.clientCredentials("agency-polri", "demo-polri-secret"), inProcess)
			.statusCode()).isEqualTo(403);
		// another citizen: not even its existence is revealed
		assertThat(send("POST", state, budi, inProcess).statusCode()).isEqualTo(404);

		// the whole loop, with no manual step: the agency adapter delivered it to Dukcapil's own system
		// (the simulated REST back office), which reported back by its signed webhook: received with its
		// reference, in process, approved, completed with where to collect it — on siti's timeline ...
		assertLoop(siti, id, "DUKCAPIL-", "rest");
		// ... and in her inbox (application-service → Kafka → notification-service)
		assertInbox(siti, id);
		assertThat(send("GET", stack.gatewayUrl() + "/api/notifications/inbox", budi, null).body()).doesNotContain(id);
	}

	/**
	 * The loop through the other kinds of back office: Polri's 2009 SOAP service (no idempotency key,
	 * no webhook — the adapter calls its submit operation once and polls its status operation), BPN's
	 * folder of CSV files over SFTP (a batch in its drop folder, result files from its outbox) and PLN's
	 * system that speaks Kafka (its own two topics, as its own principal, with the ACLs the platform
	 * made from the catalog). Each status reaches the citizen's timeline and inbox as from any other agency.
	 */
	@ParameterizedTest(name = "{1} by {3}")
	@CsvSource({ "skck, polri, POLRI-, soap", "roya, bpn, BPN-, file", "pln-pasang-baru, pln, PLN-, kafka" })
	@Order(6)
	void anApplicationToEachKindOfAgencyComesBackToTheCitizen(String standardId, String agencyId, String reference,
			String via) throws Exception {
		String siti = identity().signIn("siti", "mpp-demo").orElseThrow();
		HttpResponse<String> submitted = send("POST", stack.gatewayUrl() + "/api/applications", siti, """
				{"mppId": "kota-probolinggo", "standardId": "%s",
				 "form": {"nik": "3574010101900001", "nama": "Siti Aminah", "telepon": "081234567890"}}""".formatted(standardId));
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
		String id = json.readTree(submitted.body()).path("id").asString();
		assertThat(json.readTree(submitted.body()).path("agencyId").asString()).isEqualTo(agencyId);
		assertLoop(siti, id, reference, via);
		assertInbox(siti, id);
	}

	/**
	 * Nothing a citizen submitted is lost or applied twice, whatever crashes: while applications keep
	 * coming, the agency adapter is killed (SIGKILL, as {@code kill -9}: nothing flushed) and started
	 * again, then the Kafka broker is. Every application reaches Dukcapil's system exactly once —
	 * counted by the simulated system itself — and its answers come back.
	 */
	@Test
	@Order(6)
	void aKilledAdapterAndARestartedBrokerLoseNothingAndDuplicateNothing() throws Exception {
		IdentityClient identity = identity();
		List<String> citizens = List.of(identity.signIn("siti", "mpp-demo").orElseThrow(),
				identity.signIn("budi", "mpp-demo").orElseThrow());
		List<String> standards = List.of("kk-baru", "kk-perubahan-data", "akta-kelahiran", "akta-kematian");
		String counts = "http://127.0.0.1:" + (8091 + OFFSET) + "/control/counts";
		JsonNode before = json.readTree(get(counts).body());
		Map<String, String> submitted = new LinkedHashMap<>();
		int n = 0;
		for (int round = 0; round < 3; round++) {
			for (String citizen : citizens) {
				for (String standard : standards) {
					HttpResponse<String> answer = send("POST", stack.gatewayUrl() + "/api/applications", citizen, """
							{"mppId": "kota-probolinggo", "standardId": "%s",
							 "form": {"nik": "3574010101900002", "nama": "Pemohon %d", "telepon": "081234567891"}}"""
						.formatted(standard, n));
					assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
					submitted.put(json.readTree(answer.body()).path("id").asString(), citizen);
					if (++n == 8) {
						stack.killAndRestart("agency-adapter");
					}
					else if (n == 16) {
						stack.killAndRestartKafka();
					}
				}
			}
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
		JsonNode now = json.readTree(get(counts).body());
		while (now.path("applications").asInt() < before.path("applications").asInt() + submitted.size()
				&& System.nanoTime() < deadline) {
			Thread.sleep(1000);
			now = json.readTree(get(counts).body());
		}
		assertThat(now.path("applications").asInt()).as(now.toString())
			.isEqualTo(before.path("applications").asInt() + submitted.size());
		assertThat(now.path("duplicates").asInt()).as("applications the agency registered twice").isZero();
		// and the agency's answers reached each citizen
		for (Map.Entry<String, String> application : submitted.entrySet()) {
			String url = stack.gatewayUrl() + "/api/applications/" + application.getKey();
			String state = json.readTree(send("GET", url, application.getValue(), null).body()).path("state").asString();
			while (state.equals("SUBMITTED") && System.nanoTime() < deadline) {
				Thread.sleep(500);
				state = json.readTree(send("GET", url, application.getValue(), null).body()).path("state").asString();
			}
			assertThat(state).as(application.getKey()).isNotEqualTo("SUBMITTED");
		}
	}

	/**
	 * Waits for the agency's last word, then checks the timeline: submitted through the API, then
	 * received (with the agency's reference), in process, approved, completed, each by the agency's way.
	 */
	private static void assertLoop(String citizen, String id, String reference, String via) throws Exception {
		String url = stack.gatewayUrl() + "/api/applications/" + id;
		JsonNode application = json.readTree(send("GET", url, citizen, null).body());
		long reporting = System.nanoTime();
		while (!application.path("state").asString().equals("COMPLETED")
				&& Duration.ofNanos(System.nanoTime() - reporting).toSeconds() < 90) {
			Thread.sleep(500);
			application = json.readTree(send("GET", url, citizen, null).body());
		}
		assertThat(application.path("state").asString()).as(application.toString()).isEqualTo("COMPLETED");
		assertThat(application.path("agencyReference").asString()).startsWith(reference);
		List<String> steps = new ArrayList<>();
		application.path("history").forEach(step -> steps.add(step.path("state").asString() + "/" + step.path("via").asString()));
		assertThat(steps).containsExactly("SUBMITTED/api", "RECEIVED/" + via, "IN_PROCESS/" + via, "APPROVED/" + via,
				"COMPLETED/" + via);
	}

	private static void assertInbox(String citizen, String id) throws Exception {
		String inbox = "";
		long told = System.nanoTime();
		while (!inbox.contains("Permohonan " + id + " selesai") && Duration.ofNanos(System.nanoTime() - told).toSeconds() < 30) {
			Thread.sleep(500);
			inbox = send("GET", stack.gatewayUrl() + "/api/notifications/inbox", citizen, null).body();
		}
		assertThat(inbox).contains("Permohonan " + id + " diterima instansi", "Permohonan " + id + " selesai");
	}

	/**
	 * The queues through the gateway with the identity server's tokens: a kiosk ticket (no token) and
	 * a citizen's ticket from the app, called by Dukcapil's officer of the MPP (another MPP's officer is
	 * refused) and shown on the public display board as it happens; the citizen is told in her inbox;
	 * a booking is the citizen's own. The MPP's administrator first opens it all day, every day, so that
	 * the queues run whenever this test does (it runs after every test that counts working days).
	 */
	@Test
	@Order(7)
	void ticketsAreCalledAtTheCounterAndShownOnTheBoardThroughTheGateway() throws Exception {
		IdentityClient identity = identity();
		String mpp = stack.gatewayUrl() + "/api/queues/mpps/kota-probolinggo";
		String allDay = "{\"opens\": \"00:00\", \"closes\": \"23:59\"}";
		String week = String.join(", ", List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
			.stream().map(day -> "\"" + day + "\": " + allDay).toList());
		HttpResponse<String> hours = send("PUT", stack.gatewayUrl() + "/api/catalog/mpps/kota-probolinggo/hours",
				identity.signIn("admin.probolinggo", "mpp-demo").orElseThrow(), "{" + week + "}");
		assertThat(hours.statusCode()).as(hours.body()).isEqualTo(200);
		JsonNode today = json.readTree(get(stack.gatewayUrl() + "/api/catalog/mpps/kota-probolinggo/today").body());
		org.junit.jupiter.api.Assumptions.assumeTrue(today.path("working").asBoolean(),
				"MPP Kota Probolinggo is closed today (" + today.path("reason").asString() + "): no queue runs");
		JsonNode counters = json.readTree(get(stack.gatewayUrl() + "/api/catalog/mpps/kota-probolinggo/counters").body());
		int counter = -1;
		for (JsonNode candidate : counters) {
			if (candidate.path("agencyId").asString().equals("dukcapil")) {
				counter = candidate.path("number").asInt();
			}
		}
		String desk = mpp + "/counters/" + counter;

		// the board, public, connected before anything happens
		java.util.concurrent.BlockingQueue<String> board = new java.util.concurrent.LinkedBlockingQueue<>();
		HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(mpp + "/board"))
			.header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(stream.statusCode()).isEqualTo(200);
		Thread reader = new Thread(() -> stream.body().forEach(board::add), "board-reader");
		reader.setDaemon(true);
		reader.start();

		HttpResponse<String> kiosk = send("POST", mpp + "/tickets", null, "{\"standardId\": \"kk-baru\"}");
		assertThat(kiosk.statusCode()).as(kiosk.body()).isEqualTo(201);
		JsonNode walkIn = json.readTree(kiosk.body());
		String siti = identity.signIn("siti", "mpp-demo").orElseThrow();
		// siti is also told by email: she adds an address, enters the code the stack's mail server got
		String notifications = stack.gatewayUrl() + "/api/notifications/preferences";
		String address = "siti.e2e@warga.example";
		assertThat(send("PUT", notifications + "/email", siti, "{\"address\": \"" + address + "\"}").statusCode())
			.isEqualTo(202);
		java.util.regex.Matcher code = java.util.regex.Pattern.compile("Subject: .*?([0-9]{6})")
			.matcher(mailTo(address, mail -> mail.matches("(?s).*Subject: [^\r\n]*[0-9]{6}.*")));
		assertThat(code.find()).isTrue();
		assertThat(send("POST", notifications + "/email/verification", siti, "{\"code\": \"" + code.group(1) + "\"}")
			.statusCode()).isEqualTo(200);
		assertThat(send("PUT", notifications, siti, "{\"language\": \"id\", \"channels\": [\"EMAIL\"]}").statusCode())
			.isEqualTo(200);
		HttpResponse<String> app = send("POST", mpp + "/tickets", siti, "{\"standardId\": \"kk-baru\"}");
		assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
		JsonNode sitis = json.readTree(app.body());
		assertThat(sitis.path("position").asInt()).as(kiosk.body() + " then " + app.body()).isEqualTo(2);

		// only an officer of this MPP and of the counter's agency opens it
		assertThat(send("POST", desk + "/open", null, null).statusCode()).isEqualTo(401);
		assertThat(send("POST", desk + "/open", identity.signIn("officer.polri.surabaya", "mpp-demo").orElseThrow(), null)
			.statusCode()).isEqualTo(403);
		assertThat(send("POST", desk + "/open", siti, null).statusCode()).isEqualTo(403);
		String officer = identity.signIn("officer.dukcapil.probolinggo", "mpp-demo").orElseThrow();
		assertThat(send("POST", desk + "/open", officer, null).statusCode()).isEqualTo(200);
		for (JsonNode expected : List.of(walkIn, sitis)) {
			HttpResponse<String> called = send("POST", desk + "/call-next", officer, null);
			assertThat(called.statusCode()).as(called.body()).isEqualTo(200);
			assertThat(json.readTree(called.body()).path("id").asString()).isEqualTo(expected.path("id").asString());
			// on the board as it happens: the number and the counter, nothing else about who holds it
			String data = awaitLine(board, line -> line.startsWith("data:") && line.contains(expected.path("number").asString())
					&& line.contains("\"CALLED\""));
			assertThat(data).contains("\"counter\":" + counter).doesNotContain(expected.path("id").asString());
			assertThat(send("POST", desk + "/start", officer, null).statusCode()).isEqualTo(200);
			assertThat(send("POST", desk + "/finish", officer, null).statusCode()).isEqualTo(200);
		}
		assertThat(json.readTree(get(stack.gatewayUrl() + "/api/queues/tickets/" + walkIn.path("id").asString()).body())
			.path("state").asString()).isEqualTo("DONE");
		reader.interrupt();
		stream.body().close();

		// siti is told in her inbox that she was called (queue-service → Kafka → notification-service)
		String inbox = "";
		long told = System.nanoTime();
		while (!inbox.contains(sitis.path("number").asString()) && Duration.ofNanos(System.nanoTime() - told).toSeconds() < 30) {
			Thread.sleep(500);
			inbox = send("GET", stack.gatewayUrl() + "/api/notifications/inbox", siti, null).body();
		}
		assertThat(inbox).contains(sitis.path("number").asString());
		// and by email, at once (an urgent message)
		assertThat(mailTo(address, mail -> mail.contains(sitis.path("number").asString()))).contains("To: " + address);

		// a booking for a slot of a coming day is hers only
		String slot = null;
		for (int ahead = 1; ahead <= 7 && slot == null; ahead++) {
			String date = LocalDate.parse(today.path("date").asString()).plusDays(ahead).toString();
			JsonNode slots = json.readTree(get(mpp + "/services/kk-baru/slots?date=" + date).body()).path("slots");
			if (!slots.isEmpty() && slots.get(0).path("free").asInt() > 0) {
				slot = date + "T" + slots.get(0).path("time").asString();
			}
		}
		assertThat(slot).as("a free slot in the coming week").isNotNull();
		String booking = "{\"standardId\": \"kk-baru\", \"start\": \"" + slot + "\"}";
		assertThat(send("POST", mpp + "/bookings", null, booking).statusCode()).isEqualTo(401);
		HttpResponse<String> booked = send("POST", mpp + "/bookings", siti, booking);
		assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
		String bookingUrl = stack.gatewayUrl() + "/api/queues/bookings/" + json.readTree(booked.body()).path("id").asString();
		String budi = identity.signIn("budi", "mpp-demo").orElseThrow();
		assertThat(send("GET", bookingUrl, budi, null).statusCode()).isEqualTo(404);
		assertThat(send("POST", bookingUrl + "/cancel", budi, null).statusCode()).isEqualTo(404);
		HttpResponse<String> cancelled = send("POST", bookingUrl + "/cancel", siti, null);
		assertThat(json.readTree(cancelled.body()).path("state").asString()).as(cancelled.body()).isEqualTo("CANCELLED");
	}

	/** The first email the stack's mail server accepted for {@code address} that is {@code wanted}, within 30 s. */
	private static String mailTo(String address, java.util.function.Predicate<String> wanted) throws Exception {
		Path mail = Path.of("target", "e2e-stack", "data", "mail");
		long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < until) {
			if (Files.isDirectory(mail)) {
				try (java.util.stream.Stream<Path> files = Files.list(mail)) {
					for (Path file : files.filter(file -> file.getFileName().toString().endsWith("-" + address + ".eml"))
						.sorted()
						.toList()) {
						String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
						if (wanted.test(text)) {
							return text;
						}
					}
				}
			}
			Thread.sleep(300);
		}
		throw new AssertionError("no such email to " + address + " within 30 s");
	}

	private static String awaitLine(java.util.concurrent.BlockingQueue<String> lines,
			java.util.function.Predicate<String> wanted) throws InterruptedException {
		long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < until) {
			String line = lines.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
			if (line != null && wanted.test(line)) {
				return line;
			}
		}
		throw new AssertionError("not on the board within 15 s");
	}

	/**
	 * What an operator opens first: every panel of the Grafana dashboard, its query asked of a real
	 * Prometheus that runs the platform's own configuration against this stack (after the traffic of
	 * the tests before), answers with data — 0 where nothing happened, never "No data". And every alert
	 * rule evaluates on the real series without an error.
	 */
	@Test
	@Order(8)
	void everyDashboardQueryAnswersWithDataAndEveryAlertRuleEvaluatesOnARealPrometheus() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(PrometheusServer.BINARY),
				"Prometheus is not installed here (.ci/run installs Debian's prometheus package): the dashboard is not checked");
		String[] registryUser = new String(java.util.Base64.getDecoder()
			.decode(stack.registryAuthorization().substring("Basic ".length())), java.nio.charset.StandardCharsets.UTF_8)
			.split(":", 2);
		JsonNode dashboard = json.readTree(Files.readString(DeploymentDocumentsTests.ROOT.resolve("ops/grafana/dashboards/platform.json")));
		List<String> queries = new ArrayList<>();
		dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> queries
			.add(panel.path("title").asString() + "\n" + target.path("expr").asString().replace("$agency", "dukcapil"))));
		assertThat(queries).hasSizeGreaterThan(25);
		try (PrometheusServer prometheus = PrometheusServer.start(Path.of("target", "e2e-prometheus"),
				"127.0.0.1:" + (8761 + OFFSET), registryUser[0], registryUser[1])) {
			assertThat(prometheus.awaitReady(Duration.ofSeconds(30))).as("Prometheus started").isTrue();
			// every module found through the registry and scraped on its management port, and the registry
			long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			List<String> up = List.of();
			while (System.nanoTime() < until && up.size() < stack.services().size()) {
				Thread.sleep(1000);
				up = prometheus.query("up == 1").valueStream().map(sample -> sample.path("metric").path("job").asString()).distinct().toList();
			}
			assertThat(up).containsExactlyInAnyOrderElementsOf(stack.services().stream().map(Service::name).toList());
			// a minute of samples with some traffic through the gateway, for the rates and quantiles
			for (int n = 0; n < 30; n++) {
				get(stack.gatewayUrl() + "/api/catalog/mpps/kota-probolinggo");
				get(stack.gatewayUrl() + "/api/catalog/mpps/no-such-mpp");
				Thread.sleep(2000);
			}
			List<String> empty = new ArrayList<>();
			for (String query : queries) {
				JsonNode result = prometheus.query(query.substring(query.indexOf('\n') + 1));
				if (result.isEmpty()) {
					empty.add(query);
				}
			}
			assertThat(empty).as("dashboard queries with no data").isEmpty();
			List<String> broken = new ArrayList<>();
			prometheus.api("rules").path("groups").forEach(group -> group.path("rules").forEach(rule -> {
				if (!"ok".equals(rule.path("health").asString())) {
					broken.add(rule.path("name").asString() + ": " + rule.path("lastError").asString());
				}
			}));
			assertThat(broken).as("alert rules that do not evaluate").isEmpty();
			assertThat(prometheus.api("rules").path("groups").size()).isGreaterThanOrEqualTo(3);
		}
	}

	@Test
	@Order(9)
	void aKilledServiceGets503AtOnceAndLeavesEurekaWithinTenSeconds() throws Exception {
		Service catalog = stack.services().stream().filter(s -> s.name().equals("service-catalog")).findFirst()
			.orElseThrow();
		catalog.process().kill();
		long killedAt = System.nanoTime();

		long started = System.nanoTime();
		HttpResponse<String> response = get(stack.gatewayUrl() + "/api/catalog/mpps");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(json.readTree(response.body()).path("type").asString())
			.isEqualTo("https://mppdigital.id/problems/service-unavailable");

		String registered = "http://127.0.0.1:" + (8761 + OFFSET) + "/eureka/apps/SERVICE-CATALOG";
		// the registry answers nobody without credentials (it would otherwise say 404 here at once)
		assertThat(get(registered).statusCode()).isEqualTo(401);
		while (registry(registered).statusCode() == 200) {
			assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(10));
			Thread.sleep(250);
		}
	}

	/**
	 * One client for the whole test, so requests reuse keep-alive connections as real clients do (the
	 * stall Reactor Netty 1.3.6 had on reused connections is fixed in 1.3.8, docs/known-issues.md).
	 */
	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private static HttpResponse<String> get(String url) throws Exception {
		return send("GET", url, null, null);
	}

	/** A read of the registry as its operator. */
	private static HttpResponse<String> registry(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", "application/json")
			.header("Authorization", stack.registryAuthorization())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(String method, String url, String token, String jsonBody) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", "application/json, */*;q=0.5")
			.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(jsonBody));
		if (jsonBody != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Tokens from the stack's real identity server, obtained as the apps and agency systems do. */
	private static IdentityClient identity() {
		return new IdentityClient("http://127.0.0.1:" + (8086 + OFFSET));
	}

}
