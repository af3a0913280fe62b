package id.mppdigital.simulators;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An agency's own back-office system behind whichever door it opens to the platform (REST, SOAP,
 * files, Kafka): it registers each application it takes under its own reference, then decides on
 * it as an agency would — received, in process, approved, completed — one report delay apart.
 * <p>
 * It counts what it took per application id, repeats included: the ground truth for "nothing
 * lost, nothing twice". Whether a repeat is a second registration depends on the door: a modern API
 * takes an idempotency key, a 2009 SOAP service does not (its callers must look up before sending
 * again). It can be told to be slow, failing or down, and refuses applicants named {@code TOLAK}
 * until its side is "fixed".
 */
public final class BackOffice implements AutoCloseable {

	/** How the back office behaves right now. */
	public enum Mode {
		NORMAL, SLOW, FAILING, DOWN,
		/** takes the application, but its answer comes too late: the caller cannot know it was taken */
		ANSWER_LOST
	}

	/** What a back office reports of an application it took, in this order. */
	static final List<String> DECISIONS = List.of("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");

	/** One step of an application's history at the agency. */
	public record Status(String applicationId, String reference, int sequence, String status, Instant at,
			String collection) {

		/** The agency's own id for this report. */
		public String reportId() {
			return this.reference + "-" + this.sequence;
		}

		/** As the platform's reports contract has it ({@code contracts/events/mpp.agency.reports.v1.schema.json}). */
		String json(JsonMapper json) {
			ObjectNode report = json.createObjectNode()
				.put("reportId", reportId())
				.put("applicationId", this.applicationId)
				.put("status", this.status)
				.put("at", this.at.toString())
				.put("sequence", this.sequence)
				.put("agencyReference", this.reference);
			if ("REJECTED".equals(this.status)) {
				report.put("reason", "Data pemohon tidak dapat diproses.");
			}
			if (this.collection != null) {
				report.put("collection", this.collection);
			}
			return json.writeValueAsString(report);
		}

	}

	/** What taking an application came to. */
	public record Taken(String reference, boolean fresh) {
	}

	/** The agency refuses the content: sending it again would not help. */
	public static final class Refusal extends RuntimeException {

		Refusal(String message) {
			super(message);
		}

	}

	private final String agencyId;

	private final Duration reportDelay;

	private final ScheduledExecutorService clock;

	/** application id → registrations made for it (more than 1 is a duplicate) */
	private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();

	/** idempotency key → the reference it was answered with */
	private final Map<String, String> keys = new ConcurrentHashMap<>();

	/** application id → its latest registration: the reference and what happened to it so far */
	private final Map<String, Registration> registrations = new ConcurrentHashMap<>();

	private record Registration(String reference, List<Status> history) {
	}

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong references = new AtomicLong();

	private volatile Mode mode = Mode.NORMAL;

	private volatile Duration slowBy = Duration.ofSeconds(10);

	private volatile boolean refusing = true;

	/** decisions not yet begun while the back office holds them (guarded by itself), or null when it decides at once */
	private List<Runnable> held;

	public BackOffice(String agencyId, Duration reportDelay) {
		this.agencyId = agencyId;
		this.reportDelay = reportDelay;
		this.clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, agencyId + "-back-office");
			thread.setDaemon(true);
			return thread;
		});
	}

	public String agencyId() {
		return this.agencyId;
	}

	public Mode mode() {
		return this.mode;
	}

	public void mode(Mode mode) {
		this.mode = mode;
	}

	/** Whether applicants named {@code TOLAK} are refused (true until the agency fixed its side). */
	public void refusing(boolean refusing) {
		this.refusing = refusing;
	}

	/**
	 * Holds the decisions on what it takes from now on (an office that registers a backlog at the
	 * front desk and decides on it later), or — {@code false} — begins every held one now, in the
	 * order taken, each with its report delays from now.
	 */
	public void holdDecisions(boolean hold) {
		List<Runnable> release;
		synchronized (this) {
			release = hold ? null : this.held;
			this.held = hold ? ((this.held != null) ? this.held : new ArrayList<>()) : null;
		}
		if (release != null) {
			release.forEach(Runnable::run);
		}
	}

	/** How long each call takes in {@link Mode#SLOW}. */
	public void slowBy(Duration delay) {
		this.slowBy = delay;
	}

	Duration slowBy() {
		return this.slowBy;
	}

	/** One call or file that reached it, repeats included. */
	void request() {
		this.requests.incrementAndGet();
	}

	/**
	 * Takes an application: with an idempotency key, a repeat of the key is the registration it
	 * already made; without one, every call is a new registration (a duplicate, if it was one). The
	 * decisions that follow are passed to {@code reports} as they happen.
	 * @throws Refusal if the agency cannot take the content
	 */
	Taken take(String applicationId, String key, String applicantName, Consumer<Status> reports) {
		if (this.refusing && "TOLAK".equals(applicantName)) {
			throw new Refusal("the applicant's data cannot be processed");
		}
		String reference;
		synchronized (this.keys) {
			reference = (key == null) ? null : this.keys.get(key);
			if (reference != null) {
				return new Taken(reference, false);
			}
			reference = this.agencyId.toUpperCase(Locale.ROOT) + "-" + String.format("%07d", this.references.incrementAndGet());
			if (key != null) {
				this.keys.put(key, reference);
			}
			this.created.computeIfAbsent(applicationId, any -> new AtomicInteger()).incrementAndGet();
			this.registrations.put(applicationId, new Registration(reference, new ArrayList<>()));
		}
		String taken = reference;
		Runnable decisions = () -> decide(applicationId, taken, reports);
		synchronized (this) {
			if (this.held != null) {
				this.held.add(decisions);
				return new Taken(reference, true);
			}
		}
		decisions.run();
		return new Taken(reference, true);
	}

	/** Received (with the reference), in process, approved, completed: each one report delay after the last. */
	private void decide(String applicationId, String reference, Consumer<Status> reports) {
		long delay = this.reportDelay.toMillis();
		for (int i = 0; i < DECISIONS.size(); i++) {
			int sequence = i + 1;
			String status = DECISIONS.get(i);
			this.clock.schedule(() -> {
				String collection = "COMPLETED".equals(status)
						? "Ambil di loket " + this.agencyId + " MPP dengan membawa tanda terima." : null;
				Status step = new Status(applicationId, reference, sequence, status, Instant.now(), collection);
				List<Status> history = this.registrations.get(applicationId).history();
				synchronized (history) {
					history.add(step);
				}
				reports.accept(step);
			}, sequence * delay, TimeUnit.MILLISECONDS);
		}
	}

	/** The application's history so far, if it has it (a look-up). */
	Optional<List<Status>> history(String applicationId) {
		Registration registration = this.registrations.get(applicationId);
		if (registration == null) {
			return Optional.empty();
		}
		synchronized (registration.history()) {
			return Optional.of(List.copyOf(registration.history()));
		}
	}

	/** The reference it registered the application under, if it has it. */
	Optional<String> reference(String applicationId) {
		return Optional.ofNullable(this.registrations.get(applicationId)).map(Registration::reference);
	}

	/** Applications it took (each once, however often it was sent). */
	public int applications() {
		return this.created.size();
	}

	/** Applications registered more than once: a delivery applied twice. */
	public long duplicates() {
		return this.created.values().stream().filter(count -> count.get() > 1).count();
	}

	/** Every delivery attempt that reached it, repeats included. */
	public long requests() {
		return this.requests.get();
	}

	public boolean received(String applicationId) {
		return this.created.containsKey(applicationId);
	}

	/** How the back office stands, as its control endpoint shows it. */
	String countsJson() {
		return "{\"agency\":\"" + this.agencyId + "\",\"applications\":" + applications() + ",\"duplicates\":"
				+ duplicates() + ",\"requests\":" + requests() + "}";
	}

	@Override
	public void close() {
		this.clock.shutdownNow();
	}

}
