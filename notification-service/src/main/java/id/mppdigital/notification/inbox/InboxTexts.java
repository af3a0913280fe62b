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
		Object[] args = { changed.applicationId(), changed.standardId(), changed.dueDate(), note, changed.state() };
		return new Text(message(part, changed.state(), args, INDONESIAN), message(part, changed.state(), args, Locale.ENGLISH));
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
