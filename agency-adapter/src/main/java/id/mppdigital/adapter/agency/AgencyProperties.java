package id.mppdigital.adapter.agency;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The agencies this adapter instance serves, each a configuration entry: a new agency of a known kind
 * is configuration, never code. Production runs one instance per agency; the local stack one for
 * the demo agencies.
 *
 * @param instance names this instance's consumer group ({@code agency-adapter-<instance>}): instances
 * serving different agencies each read every submitted application and keep their agencies' ones
 * @param agencies by agency id (as in the catalog)
 * @param retry how failed deliveries are tried again
 */
@ConfigurationProperties("mpp.adapter")
public record AgencyProperties(String instance, Map<String, Agency> agencies, Retry retry) {

	public AgencyProperties {
		instance = (instance == null || instance.isBlank()) ? "all" : instance;
		agencies = (agencies == null) ? Map.of() : Map.copyOf(agencies);
		retry = (retry == null) ? new Retry(null, null, null, 0) : retry;
	}

	/** What kind of system an agency runs, and so how the adapter talks to it. */
	public enum Kind {

		/** a REST API that takes an Idempotency-Key; reports come back by a signed webhook */
		REST(Guarantee.IDEMPOTENCY_KEY),
		/** the legacy SKCK SOAP service (submit and status operations, no key): looked up, and polled */
		SOAP(Guarantee.LOOK_UP),
		/**
		 * CSV batches to its SFTP drop folder, result files from its outbox; the batch's file name is
		 * the key (the agency takes a file name once)
		 */
		FILE(Guarantee.IDEMPOTENCY_KEY),
		/**
		 * its own two topics, {@code mpp.agency.<id>.applications.v1} and {@code .reports.v1}; it takes
		 * an application once by its event id ({@code ce_id})
		 */
		KAFKA(Guarantee.IDEMPOTENCY_KEY);

		private final Guarantee guarantee;

		Kind(Guarantee guarantee) {
			this.guarantee = guarantee;
		}

		/** What the kind's system offers against a delivery applied twice. */
		public Guarantee guarantee() {
			return this.guarantee;
		}

	}

	/** How a delivery that may or may not have got through (a time-out, a crash mid-call) is made safe to repeat. */
	public enum Guarantee {

		/** the agency takes an idempotency key: a repeat under the same key is the same application */
		IDEMPOTENCY_KEY,
		/** the agency can be asked whether it has the application: it is asked before a repeat */
		LOOK_UP,
		/**
		 * neither: a repeat after an uncertain attempt may reach the agency twice (at least once), and
		 * the agency must spot the duplicate by the application id itself
		 */
		NONE

	}

	/**
	 * @param kind its system's kind
	 * @param endpoint its system's base URL
	 * @param webhookSecret the secret its webhook calls are signed with (from the environment)
	 * @param timeout longest wait for one call to its system
	 * @param concurrency deliveries in flight to it at once
	 * @param fields the form's field names → the agency's own names for them (unlisted fields keep
	 * their names)
	 * @param pollInterval how often an agency that reports only when asked is asked, per application
	 * @param password the password its SFTP server takes (from the environment)
	 * @param knownHosts the agency's SFTP host key, as an OpenSSH known_hosts file: a server
	 * without it is not talked to
	 * @param batchSize at most this many applications per batch file
	 * @param batchInterval how often a batch file is written (more often while a backlog is bigger
	 * than one batch)
	 * @param guarantee what its system offers against a repeat, where it offers less than its kind
	 * usually does: {@code NONE} for a REST API that ignores the idempotency key (the default is the
	 * kind's: {@link Kind#guarantee()})
	 */
	public record Agency(Kind kind, URI endpoint, String webhookSecret, Duration timeout, int concurrency,
			Map<String, String> fields, Duration pollInterval, String password, String knownHosts, int batchSize,
			Duration batchInterval, Guarantee guarantee) {

		public Agency {
			timeout = (timeout == null) ? Duration.ofSeconds(10) : timeout;
			concurrency = (concurrency <= 0) ? 4 : concurrency;
			fields = (fields == null) ? Map.of() : Map.copyOf(fields);
			pollInterval = (pollInterval == null) ? Duration.ofMinutes(1) : pollInterval;
			batchSize = (batchSize <= 0) ? 500 : batchSize;
			batchInterval = (batchInterval == null) ? Duration.ofHours(1) : batchInterval;
			if (guarantee == null && kind != null) {
				guarantee = kind.guarantee();
			}
			if (guarantee == Guarantee.LOOK_UP && kind != Kind.SOAP) {
				throw new IllegalArgumentException("only the SOAP service offers a look-up; " + kind + " agencies take "
						+ Kind.REST.guarantee() + " or NONE");
			}
		}

	}

	/**
	 * Exponential back-off with jitter: {@code initial}, then × {@code multiplier} per attempt, at most
	 * {@code max}, each spread by ±{@code jitter}. A delivery is tried until the agency takes or refuses
	 * it: waiting work is never dropped.
	 */
	public record Retry(Duration initial, Duration max, Double multiplier, double jitter) {

		public Retry {
			initial = (initial == null) ? Duration.ofSeconds(1) : initial;
			max = (max == null) ? Duration.ofMinutes(5) : max;
			multiplier = (multiplier == null) ? 2.0 : multiplier;
			jitter = (jitter <= 0) ? 0.2 : Math.min(jitter, 0.9);
		}

		/** How long before attempt {@code attempt + 1}, for a random {@code spread} in [0, 1). */
		public Duration after(int attempt, double spread) {
			double millis = Math.min(this.max.toMillis(),
					this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1)));
			return Duration.ofMillis((long) (millis * (1 - this.jitter + 2 * this.jitter * spread)));
		}

	}

	public Agency agency(String agencyId) {
		return this.agencies.get(agencyId);
	}

}
