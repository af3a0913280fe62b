package id.mppdigital.notification.inbox;

import java.util.Locale;

import id.mppdigital.notification.inbox.Notification.Text;

import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.stereotype.Component;

/**
 * What a citizen is told, from the message bundles ({@code messages.properties} in Bahasa Indonesia,
 * {@code messages_en.properties} in English): texts change without touching code, and a third
 * language is one more file.
 */
@Component
class InboxTexts {

	static final Locale INDONESIAN = Locale.forLanguageTag("id");

	private final MessageSource messages;

	InboxTexts(MessageSource messages) {
		this.messages = messages;
	}

	Text title(ApplicationStateListener.StateChanged changed) {
		return text("title", changed);
	}

	Text body(ApplicationStateListener.StateChanged changed) {
		return text("body", changed);
	}

	private Text text(String part, ApplicationStateListener.StateChanged changed) {
		String note = (changed.note() == null || changed.note().isBlank()) ? "" : " " + changed.note();
		Object[] args = { changed.applicationId(), changed.standardId(), changed.dueDate(), note, changed.state(),
				detail(changed) };
		return new Text(message(part, changed.state(), args, INDONESIAN), message(part, changed.state(), args, Locale.ENGLISH));
	}

	/**
	 * What the agency said beyond the state, as the agency wrote it: the reason of a rejection, what to
	 * fix (one line each, the field first), where to collect the product.
	 */
	private static String detail(ApplicationStateListener.StateChanged changed) {
		StringBuilder detail = new StringBuilder();
		if (changed.reason() != null && !changed.reason().isBlank()) {
			detail.append(' ').append(changed.reason());
		}
		if (changed.revision() != null) {
			for (ApplicationStateListener.StateChanged.Fix fix : changed.revision()) {
				detail.append("\n- ").append(fix.field() == null ? "" : fix.field() + ": ").append(fix.message());
			}
		}
		if (changed.collection() != null && !changed.collection().isBlank()) {
			detail.append(' ').append(changed.collection());
		}
		return detail.toString();
	}

	/** What a ticket's holder is told ({@code inbox.queue.<state>.<part>}). */
	Text ticket(String state, String part, Object[] args) {
		String key = "inbox.queue." + state + "." + part;
		return new Text(this.messages.getMessage(key, args, INDONESIAN), this.messages.getMessage(key, args, Locale.ENGLISH));
	}

	private String message(String part, String state, Object[] args, Locale locale) {
		try {
			return this.messages.getMessage("inbox.state." + state + "." + part, args, locale);
		}
		catch (NoSuchMessageException unknown) {
			// a state added to the contract later: still told, in general words
			return this.messages.getMessage("inbox.state.other." + part, args, locale);
		}
	}

}
