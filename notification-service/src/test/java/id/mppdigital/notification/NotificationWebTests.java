package id.mppdigital.notification;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import id.mppdigital.access.TestIssuer;
import id.mppdigital.defaults.test.ContractExamples;
import id.mppdigital.localstack.MongoWireStore;
import id.mppdigital.simulators.MessageProvider;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What notification-service's tests share (one application context): the MongoDB-wire store, a real
 * broker, the test issuer's tokens, a real SMTP server (GreenMail, in this JVM, on loopback), which
 * keeps every message it received, and a real SMS/WhatsApp provider's HTTP API (agency-simulators'
 * MessageProvider on WireMock), which counts what it received and posts signed delivery receipts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.notification.contact-encryption.keys.k1=" + NotificationWebTests.CONTACT_KEY,
				// a refused send is tried again after 1 s and 2 s, then failed (instead of 30 s, 1 min, ... 5 times)
				"mpp.notification.retry.first-delay=1s", "mpp.notification.retry.max-attempts=3",
				"mpp.notification.retention.message-bodies=1d",
				// both providers are the same simulated one; SMS takes 5 a second; their circuits open for 2 s
				"mpp.notification.providers.sms.api-key=" + NotificationWebTests.PROVIDER_KEY,
				"mpp.notification.providers.sms.callback-secret=" + NotificationWebTests.PROVIDER_SECRET,
				"mpp.notification.providers.sms.rate=5", "mpp.notification.providers.sms.burst=5",
				"mpp.notification.providers.sms.breaker-open=2s",
				"mpp.notification.providers.whatsapp.api-key=" + NotificationWebTests.PROVIDER_KEY,
				"mpp.notification.providers.whatsapp.callback-secret=" + NotificationWebTests.PROVIDER_SECRET,
				"mpp.notification.providers.whatsapp.breaker-open=2s", "mpp.notification.providers.whatsapp.timeout=2s" })
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
public abstract class NotificationWebTests {

	/** The tests' own contact-encryption key (32 bytes). */
	protected static final String CONTACT_KEY = "dGVzdHMtb25seS1jb250YWN0LWtleS0wMTIzNDU2Nzg=";

	protected static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	protected static final TestIssuer issuer = new TestIssuer();

	protected static final GreenMail smtp = startSmtp();

	protected static final String PROVIDER_KEY = "tests-provider-api-key";

	protected static final String PROVIDER_SECRET = "tests-provider-receipt-secret";

	/** The SMS and WhatsApp provider: a real HTTP server that signs its receipts (agency-simulators). */
	protected static final MessageProvider provider = MessageProvider.start(0, PROVIDER_KEY, PROVIDER_SECRET,
			Duration.ofMillis(300));

	/**
	 * The catalog's answer for two MPPs' descriptions (only what this service reads: the time zone),
	 * on a real HTTP server; the real catalog behind the real registry is exercised in platform-tests.
	 */
	protected static final com.github.tomakehurst.wiremock.WireMockServer catalog = catalog();

	private static com.github.tomakehurst.wiremock.WireMockServer catalog() {
		com.github.tomakehurst.wiremock.WireMockServer server = new com.github.tomakehurst.wiremock.WireMockServer(
				com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		server.start();
		for (String[] mpp : new String[][] { { "kota-probolinggo", "Asia/Jakarta" }, { "kota-jayapura", "Asia/Jayapura" } }) {
			server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/mpps/" + mpp[0])
				.willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
						"{\"id\":\"" + mpp[0] + "\",\"name\":\"MPP " + mpp[0] + "\",\"timeZone\":\"" + mpp[1] + "\"}")));
		}
		return server;
	}

	/** This service's own port: fixed before it starts, since the providers are told where to post receipts. */
	protected static final int port = freePort();

	private static GreenMail startSmtp() {
		// a port of its own, kept when a test stops and starts the server again
		GreenMail server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		return server;
	}

	private static int freePort() {
		try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return free.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-notification"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
		registry.add("server.port", () -> port);
		registry.add("spring.cloud.discovery.client.simple.instances.service-catalog[0].uri",
				() -> "http://127.0.0.1:" + catalog.port());
		registry.add("server.address", () -> "127.0.0.1");
		registry.add("mpp.notification.providers.sms.url", () -> "http://127.0.0.1:" + provider.port());
		registry.add("mpp.notification.providers.whatsapp.url", () -> "http://127.0.0.1:" + provider.port());
		registry.add("mpp.notification.providers.callback-url", () -> "http://127.0.0.1:" + port + "/providers");
	}

	@Autowired
	protected WebTestClient client;

	@Autowired
	protected KafkaTemplate<String, String> kafka;

	@Autowired
	protected EmbeddedKafkaBroker broker;

	protected static final String STATE_CHANGED = "mpp.application.state-changed.v1";

	/** The state-changed contract's example event, for this recipient, application and state. */
	protected static String stateChanged(String applicant, String application, int step, String state) {
		return ContractExamples.text(ContractExamples.first(STATE_CHANGED)
			.put("applicant", applicant)
			.put("applicationId", application)
			.put("eventId", application + "@" + step)
			.put("state", state)
			.put("note", "Silakan ambil di loket 1"));
	}

	/** A call with the citizen's (or operator's) token, with a JSON body where one is given. */
	protected WebTestClient.ResponseSpec call(String method, String uri, String token, Object body) {
		WebTestClient.RequestBodySpec request = this.client.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(uri)
			.headers(h -> h.setBearerAuth(token));
		return (body == null ? request
				: request.contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(body)).exchange();
	}

	/** Adds the address, reads the code from the mail the SMTP server received, and enters it (channels unchanged). */
	protected void verifiedEmail(String token, String address) throws InterruptedException, MessagingException {
		int before = mailTo(address).size();
		call("PUT", "/preferences/email", token, java.util.Map.of("address", address)).expectStatus().isAccepted();
		await(() -> mailTo(address).size() > before);
		java.util.regex.Matcher code = java.util.regex.Pattern.compile("([0-9]{6})")
			.matcher(mailTo(address).get(before).getSubject());
		org.assertj.core.api.Assertions.assertThat(code.find()).isTrue();
		call("POST", "/preferences/email/verification", token, java.util.Map.of("code", code.group(1)))
			.expectStatus().isOk();
	}

	/** Every message the SMTP server received for this address, in order. */
	protected static List<MimeMessage> mailTo(String address) {
		return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
			try {
				Address[] to = message.getAllRecipients();
				return to != null && Arrays.stream(to).anyMatch(each -> each.toString().contains(address));
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	/** Waits up to 20 s for {@code condition}. */
	protected static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
	}

}
