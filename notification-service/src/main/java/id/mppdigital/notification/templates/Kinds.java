package id.mppdigital.notification.templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a citizen can be told of, and the named variables a template of each may use: an
 * application's state ({@code application.<STATE>}, the states of
 * {@code mpp.application.state-changed.v1}, and {@code application.OTHER} for a state added later)
 * and a queue ticket's call, recall and near turn ({@code queue.CALLED}, {@code queue.RECALLED},
 * {@code queue.TURN_NEAR}). A template naming any other variable is refused when it is saved.
 */
public final class Kinds {

	/**
	 * @param sample a value for every variable, for previews and the check at save time
	 */
	public record Kind(String name, List<String> variables, Map<String, String> sample) {
	}

	/** A change of an application: its tracking number, service, due date, the officer's note, the agency's reason, what to fix (one line each), where to collect. */
	static final Map<String, String> APPLICATION_SAMPLE = sample("trackingNumber", "PMH-261204-SMPLA22", "service",
			"Kartu Keluarga", "dueDate", "2026-12-11", "state", "NEEDS_REVISION", "note", "Silakan ambil di loket 1",
			"reason", "Dokumen tidak terbaca", "fixes", "- KTP: unggah ulang dengan lebih jelas", "collection", "Loket 3");

	/** A ticket: its number, the counter it is called to, its place in line, the service, which recall. */
	static final Map<String, String> TICKET_SAMPLE = sample("number", "A-012", "counter", "3", "position", "2",
			"service", "Kartu Keluarga", "recall", "1");

	public static final List<String> APPLICATION_STATES = List.of("RECEIVED", "IN_PROCESS", "NEEDS_REVISION", "APPROVED",
			"COMPLETED", "REJECTED", "WITHDRAWN", "OTHER");

	public static final List<String> TICKET_STATES = List.of("CALLED", "RECALLED", "TURN_NEAR");

	/** The channels a template is for: the inbox and the three others. */
	public static final List<String> CHANNELS = List.of("INBOX", "EMAIL", "SMS", "WHATSAPP");

	public static final List<String> LANGUAGES = List.of("id", "en");

	static final Map<String, Kind> ALL = all();

	private Kinds() {
	}

	/** The kind of an application's change to a state (a state not listed is {@code application.OTHER}). */
	public static String application(String state) {
		return "application." + (APPLICATION_STATES.contains(state) ? state : "OTHER");
	}

	/** The kind of a ticket's change. */
	public static String ticket(String state) {
		return "queue." + state;
	}

	static Kind of(String name) {
		return ALL.get(name);
	}

	private static Map<String, Kind> all() {
		Map<String, Kind> all = new LinkedHashMap<>();
		APPLICATION_STATES.forEach(state -> all.put(application(state), new Kind(application(state),
				List.copyOf(APPLICATION_SAMPLE.keySet()), APPLICATION_SAMPLE)));
		TICKET_STATES.forEach(state -> all.put(ticket(state), new Kind(ticket(state), List.copyOf(TICKET_SAMPLE.keySet()),
				TICKET_SAMPLE)));
		return all;
	}

	private static Map<String, String> sample(String... pairs) {
		Map<String, String> sample = new LinkedHashMap<>();
		for (int n = 0; n < pairs.length; n += 2) {
			sample.put(pairs[n], pairs[n + 1]);
		}
		return java.util.Collections.unmodifiableMap(sample);
	}

}
