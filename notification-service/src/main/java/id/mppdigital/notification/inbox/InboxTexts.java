package id.mppdigital.notification.inbox;

import java.util.LinkedHashMap;
import java.util.Map;

import id.mppdigital.notification.inbox.Notification.Text;
import id.mppdigital.notification.templates.Kinds;
import id.mppdigital.notification.templates.Templates;

import org.springframework.stereotype.Component;

/**
 * What a citizen is told of each event: its kind and named variables ({@link Kinds}), and the inbox's
 * text of it in both languages from the templates ({@link Templates}: administrators' versions, else
 * the demo ones). The other channels render the same kind and variables with their own templates.
 */
@Component
class InboxTexts {

	/** What an event tells: the template kind and its variables. */
	record Told(String kind, Map<String, String> variables) {
	}

	private final Templates templates;

	InboxTexts(Templates templates) {
		this.templates = templates;
	}

	Told of(ApplicationStateListener.StateChanged changed) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("trackingNumber", changed.applicationId());
		variables.put("service", changed.standardId());
		variables.put("dueDate", changed.dueDate());
		variables.put("state", changed.state());
		variables.put("note", blankless(changed.note()));
		variables.put("reason", blankless(changed.reason()));
		variables.put("fixes", fixes(changed));
		variables.put("collection", blankless(changed.collection()));
		return new Told(Kinds.application(changed.state()), variables);
	}

	Told of(TicketListener.TicketCalled called) {
		return ticket(called.recall() == 0 ? "CALLED" : "RECALLED", called.number(), called.standardId(),
				Integer.toString(called.counter()), "", Integer.toString(called.recall()));
	}

	Told of(TicketListener.TurnNear near) {
		return ticket("TURN_NEAR", near.number(), near.standardId(), "", Integer.toString(near.position()), "0");
	}

	private static Told ticket(String state, String number, String service, String counter, String position,
			String recall) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("number", number);
		variables.put("counter", counter);
		variables.put("position", position);
		variables.put("service", service);
		variables.put("recall", recall);
		return new Told(Kinds.ticket(state), variables);
	}

	/** The inbox's title of it, in both languages. */
	Text title(Told told) {
		return new Text(inbox(told, "id").subject(), inbox(told, "en").subject());
	}

	Text body(Told told) {
		return new Text(inbox(told, "id").body(), inbox(told, "en").body());
	}

	private Templates.Rendered inbox(Told told, String language) {
		return this.templates.render(told.kind(), "INBOX", language, told.variables());
	}

	/** What the agency asks to fix, one line each, the field first. */
	private static String fixes(ApplicationStateListener.StateChanged changed) {
		if (changed.revision() == null) {
			return "";
		}
		StringBuilder fixes = new StringBuilder();
		for (ApplicationStateListener.StateChanged.Fix fix : changed.revision()) {
			if (!fixes.isEmpty()) {
				fixes.append('\n');
			}
			fixes.append("- ").append(fix.field() == null ? "" : fix.field() + ": ").append(fix.message());
		}
		return fixes.toString();
	}

	private static String blankless(String value) {
		return value == null || value.isBlank() ? "" : value.strip();
	}

}
