package id.mppdigital.simulators;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the demo agencies' back offices for the local stack: Dukcapil's REST API, Polri's SOAP
 * service, BPN's SFTP server and PLN's Kafka-speaking system. Configured by environment: {@code MPP_SIM_DUKCAPIL_PORT} (default 8091),
 * {@code MPP_SIM_DUKCAPIL_WEBHOOK} (the adapter's report URL), {@code MPP_SIM_DUKCAPIL_SECRET} (the
 * webhook secret it shares with the adapter), {@code MPP_SIM_POLRI_PORT} (default 8092),
 * {@code MPP_SIM_BPN_PORT} (default 8093), {@code MPP_SIM_BPN_PASSWORD} (the SFTP password of user
 * {@code mpp}), {@code MPP_SIM_BPN_DIR} (its files, host key and known_hosts line),
 * {@code MPP_SIM_BPN_PICKUP} (how often it takes batches, default PT2S), {@code MPP_SIM_PLN_KAFKA} (the
 * broker PLN's system connects to, as principal {@code agency-pln} with {@code MPP_SIM_PLN_PASSWORD};
 * unset: no PLN), {@code MPP_SIM_REPORT_DELAY} (ISO-8601 duration, default PT2S) — the agencies only when
 * {@code MPP_SIM_DUKCAPIL_SECRET} is set. The SMS and WhatsApp provider ({@link MessageProvider}) when
 * {@code MPP_SIM_PROVIDER_PORT} is set, with {@code MPP_SIM_PROVIDER_KEY} (the API key it accepts),
 * {@code MPP_SIM_PROVIDER_SECRET} (what it signs receipts with) and {@code MPP_SIM_PROVIDER_RECEIPT_DELAY}
 * (default PT1S).
 */
public final class Simulators {

	private Simulators() {
	}

	public static void main(String[] args) throws InterruptedException {
		List<AutoCloseable> running = new ArrayList<>();
		// the agencies' back offices, when the agency adapter runs
		if (System.getenv("MPP_SIM_DUKCAPIL_SECRET") != null) {
			Duration delay = Duration.parse(env("MPP_SIM_REPORT_DELAY", "PT2S"));
			running.add(RestAgency.start("dukcapil", Integer.parseInt(env("MPP_SIM_DUKCAPIL_PORT", "8091")),
					URI.create(env("MPP_SIM_DUKCAPIL_WEBHOOK", "http://127.0.0.1:8085/agencies/dukcapil/reports")),
					required("MPP_SIM_DUKCAPIL_SECRET"), delay));
			running.add(SoapAgency.start("polri", Integer.parseInt(env("MPP_SIM_POLRI_PORT", "8092")), delay));
			running.add(FileAgency.start("bpn", Integer.parseInt(env("MPP_SIM_BPN_PORT", "8093")),
					Path.of(required("MPP_SIM_BPN_DIR")), "mpp", required("MPP_SIM_BPN_PASSWORD"),
					Duration.parse(env("MPP_SIM_BPN_PICKUP", "PT2S")), delay));
			String plnKafka = System.getenv("MPP_SIM_PLN_KAFKA");
			if (plnKafka != null && !plnKafka.isBlank()) {
				running.add(KafkaAgency.start("pln", KafkaAgency.scram(plnKafka, "agency-pln", required("MPP_SIM_PLN_PASSWORD")),
						delay));
			}
		}
		// the SMS and WhatsApp provider, when notification-service runs
		String providerPort = System.getenv("MPP_SIM_PROVIDER_PORT");
		if (providerPort != null && !providerPort.isBlank()) {
			running.add(MessageProvider.start(Integer.parseInt(providerPort), required("MPP_SIM_PROVIDER_KEY"),
					required("MPP_SIM_PROVIDER_SECRET"), Duration.parse(env("MPP_SIM_PROVIDER_RECEIPT_DELAY", "PT1S"))));
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(server -> {
			try {
				server.close();
			}
			catch (Exception ex) {
				System.err.println("simulator not closed: " + ex);
			}
		})));
		new CountDownLatch(1).await();
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static String required(String name) {
		String value = System.getenv(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(name + " is not set");
		}
		return value;
	}

}
