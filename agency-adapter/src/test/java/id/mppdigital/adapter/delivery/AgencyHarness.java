package id.mppdigital.adapter.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import id.mppdigital.access.TestIssuer;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.localstack.MongoWireStore;
import id.mppdigital.simulators.BackOffice;
import id.mppdigital.simulators.FileAgency;
import id.mppdigital.simulators.KafkaAgency;
import id.mppdigital.simulators.RestAgency;
import id.mppdigital.simulators.SoapAgency;
import id.mppdigital.simulators.WebhookSignature;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One adapter (one Spring context, shared by the test classes that extend this) serving the demo
 * agencies' real back offices on loopback: Dukcapil and Kemenag over REST, Polri over SOAP. The
 * simulators count what they received per application: the ground truth for lost and duplicated
 * deliveries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.adapter.sweep-interval=200ms", "mpp.adapter.rescan-interval=2s", "mpp.adapter.gauge-interval=200ms", "mpp.adapter.retry.initial=200ms", "mpp.adapter.retry.max=1s",
				"mpp.adapter.agencies.dukcapil.kind=REST", "mpp.adapter.agencies.dukcapil.webhook-secret=" + AgencyHarness.SECRET,
				"mpp.adapter.agencies.dukcapil.timeout=2s", "mpp.adapter.agencies.dukcapil.concurrency=8",
				"mpp.adapter.agencies.kemenag.kind=REST", "mpp.adapter.agencies.kemenag.webhook-secret=kemenag-secret",
				"mpp.adapter.agencies.kemenag.timeout=15s",
				"mpp.adapter.agencies.polri.kind=SOAP", "mpp.adapter.agencies.polri.timeout=2s",
				"mpp.adapter.agencies.polri.poll-interval=300ms", "mpp.adapter.agencies.polri.fields.nama=namaLengkap",
				"mpp.adapter.agencies.polri.fields.telepon=nomorTelepon",
				"mpp.adapter.agencies.bpn.kind=FILE", "mpp.adapter.agencies.bpn.password=" + AgencyHarness.BPN_PASSWORD,
				"mpp.adapter.agencies.bpn.timeout=5s", "mpp.adapter.agencies.bpn.batch-interval=300ms",
				"mpp.adapter.agencies.bpn.batch-size=50", "mpp.adapter.agencies.bpn.fields.nik=nik",
				"mpp.adapter.agencies.bpn.fields.nama=nama_pemohon",
				"mpp.adapter.agencies.pln.kind=KAFKA", "mpp.adapter.agencies.pln.timeout=5s" })
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 3, topics = { "mpp.agency.pln.applications.v1", "mpp.agency.pln.reports.v1" })
abstract class AgencyHarness {

	static final String SECRET = "dukcapil-webhook-secret";

	static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	static final TestIssuer issuer = new TestIssuer();

	static final RestAgency dukcapil = RestAgency.start("dukcapil", 0, URI.create("http://127.0.0.1:1/"), SECRET,
			Duration.ofMillis(100));

	static final RestAgency kemenag = RestAgency.start("kemenag", 0, URI.create("http://127.0.0.1:1/"),
			"kemenag-secret", Duration.ofMillis(100));

	// the simulators and the store live as long as the test JVM: the context that uses them is cached
	static final SoapAgency polri = SoapAgency.start("polri", 0, Duration.ofMillis(100));

	static final String BPN_PASSWORD = "bpn-sftp-password";

	static final FileAgency bpn = FileAgency.start("bpn", 0, temporaryFolder("bpn-sftp"), "mpp", BPN_PASSWORD,
			Duration.ofMillis(200), Duration.ofMillis(100));

	/** PLN's system speaks Kafka: started once the embedded broker is there. */
	static KafkaAgency pln;

	private static final AtomicInteger applications = new AtomicInteger();

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-agency-adapter"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("mpp.adapter.agencies.dukcapil.endpoint", () -> dukcapil.uri().toString());
		registry.add("mpp.adapter.agencies.kemenag.endpoint", () -> kemenag.uri().toString());
		registry.add("mpp.adapter.agencies.polri.endpoint", () -> polri.uri().toString());
		registry.add("mpp.adapter.agencies.bpn.endpoint", () -> "sftp://mpp@127.0.0.1:" + bpn.port());
		registry.add("mpp.adapter.agencies.bpn.known-hosts", () -> bpn.knownHosts().toString());
	}

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	ReactiveMongoTemplate store;

	@Autowired
	WebTestClient client;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@LocalServerPort
	int port;

	@BeforeEach
	void agenciesReportHere() {
		dukcapil.webhook(URI.create("http://127.0.0.1:" + this.port + "/agencies/dukcapil/reports"));
		kemenag.webhook(URI.create("http://127.0.0.1:" + this.port + "/agencies/kemenag/reports"));
		dukcapil.mode(BackOffice.Mode.NORMAL);
		kemenag.mode(BackOffice.Mode.NORMAL);
		polri.mode(BackOffice.Mode.NORMAL);
		bpn.mode(BackOffice.Mode.NORMAL);
		synchronized (AgencyHarness.class) {
			if (pln == null) {
				pln = KafkaAgency.start("pln", Map.of("bootstrap.servers", this.broker.getBrokersAsString()),
						Duration.ofMillis(100));
			}
		}
		pln.mode(BackOffice.Mode.NORMAL);
	}

	private static java.nio.file.Path temporaryFolder(String prefix) {
		try {
			return java.nio.file.Files.createTempDirectory(prefix);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** A new tracking number of the contract's shape. */
	static String newApplicationId() {
		String alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
		int n = applications.incrementAndGet();
		StringBuilder suffix = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			suffix.append(alphabet.charAt(n % alphabet.length()));
			n /= alphabet.length();
		}
		return "PMH-261202-" + suffix;
	}

	String submit(String agencyId, String name) throws Exception {
		String id = newApplicationId();
		var event = ContractExamples.first(SubmittedApplications.TOPIC)
			.put("eventId", id)
			.put("applicationId", id)
			.put("agencyId", agencyId);
		((tools.jackson.databind.node.ObjectNode) event.get("form")).put("nama", name);
		this.kafka.send(ContractExamples.record(SubmittedApplications.TOPIC, agencyId, ContractExamples.text(event))).get();
		return id;
	}

	static void until(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!done.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + " did not happen within " + limit);
			}
			Thread.sleep(100);
		}
	}

	Double gauge(String name) {
		io.micrometer.core.instrument.Gauge gauge = this.meters.find(name).tag("agency", "dukcapil").gauge();
		return gauge == null ? null : gauge.value();
	}

	/** Where the adapter's record of an application stands (null before it recorded it). */
	Delivery.State stateOf(String applicationId) {
		Delivery delivery = this.store.findById(applicationId, Delivery.class).block();
		return delivery == null ? null : delivery.state();
	}

	long delivered(String agencyId) {
		return this.store.count(Query.query(Criteria.where("agencyId").is(agencyId).and("state").is("DELIVERED")),
				Delivery.class).block();
	}

	Consumer<String, String> accepted() {
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "accepted-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "earliest");
		Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
				new StringDeserializer()).createConsumer();
		consumer.subscribe(List.of("mpp.agency.report-accepted.v1"));
		return consumer;
	}

	/** The accepted reports of one application, as application-service would read them, until {@code count} came. */
	List<JsonNode> acceptedReports(String applicationId, int count, Duration limit) {
		List<JsonNode> reports = new ArrayList<>();
		try (Consumer<String, String> consumer = accepted()) {
			long deadline = System.nanoTime() + limit.toNanos();
			while (reports.size() < count && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : KafkaTestUtils.getRecords(consumer, Duration.ofMillis(500))) {
					JsonNode report = json.readTree(record.value());
					if (report.get("applicationId").asString().equals(applicationId)) {
						reports.add(report);
						assertThat(new String(record.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8))
							.isEqualTo("/agency-adapter");
					}
				}
			}
		}
		return reports;
	}

}
