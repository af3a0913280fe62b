package id.mppdigital.notification;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import id.mppdigital.access.TestIssuer;
import id.mppdigital.localstack.MongoWireStore;
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
 * broker, the test issuer's tokens and a real SMTP server (GreenMail, in this JVM, on loopback),
 * which keeps every message it received.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"mpp.notification.contact-encryption.keys.k1=" + NotificationWebTests.CONTACT_KEY,
				// a refused send is tried again after 1 s and 2 s, then failed (instead of 30 s, 1 min, ... 5 times)
				"mpp.notification.retry.first-delay=1s", "mpp.notification.retry.max-attempts=3",
				"mpp.notification.retention.message-bodies=1d" })
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 1)
public abstract class NotificationWebTests {

	/** The tests' own contact-encryption key (32 bytes). */
	protected static final String CONTACT_KEY = "dGVzdHMtb25seS1jb250YWN0LWtleS0wMTIzNDU2Nzg=";

	protected static final MongoWireStore mongo = MongoWireStore.start(null, "127.0.0.1", 0);

	protected static final TestIssuer issuer = new TestIssuer();

	protected static final GreenMail smtp = startSmtp();

	private static GreenMail startSmtp() {
		// a port of its own, kept when a test stops and starts the server again
		int port;
		try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		return server;
	}

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.mongodb.uri", () -> mongo.connectionString("mpp-notification"));
		registry.add("mpp.security.issuer-uri", issuer::issuer);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
	}

	@Autowired
	protected WebTestClient client;

	@Autowired
	protected KafkaTemplate<String, String> kafka;

	@Autowired
	protected EmbeddedKafkaBroker broker;

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
