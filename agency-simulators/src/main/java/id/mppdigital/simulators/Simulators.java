package id.mppdigital.simulators;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the demo agencies' back offices for the local stack: Dukcapil's REST API and Polri's SOAP
 * service. Configured by environment: {@code MPP_SIM_DUKCAPIL_PORT} (default 8091),
 * {@code MPP_SIM_DUKCAPIL_WEBHOOK} (the adapter's report URL), {@code MPP_SIM_DUKCAPIL_SECRET} (the
 * webhook secret it shares with the adapter), {@code MPP_SIM_POLRI_PORT} (default 8092),
 * {@code MPP_SIM_REPORT_DELAY} (ISO-8601 duration, default PT2S).
 */
public final class Simulators {

	private Simulators() {
	}

	public static void main(String[] args) throws InterruptedException {
		Duration delay = Duration.parse(env("MPP_SIM_REPORT_DELAY", "PT2S"));
		RestAgency dukcapil = RestAgency.start("dukcapil", Integer.parseInt(env("MPP_SIM_DUKCAPIL_PORT", "8091")),
				URI.create(env("MPP_SIM_DUKCAPIL_WEBHOOK", "http://127.0.0.1:8085/agencies/dukcapil/reports")),
				required("MPP_SIM_DUKCAPIL_SECRET"), delay);
		SoapAgency polri = SoapAgency.start("polri", Integer.parseInt(env("MPP_SIM_POLRI_PORT", "8092")), delay);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			dukcapil.close();
			polri.close();
		}));
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
