package id.mppdigital.notification.channels;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Email over real SMTP (spring.mail.*): a plain-text and an HTML part, in the citizen's language, with
 * a {@code Message-ID} chosen by the caller — the same for every attempt of one message, so that a
 * resend after a crash is recognisable as the same message by any mail system that sees both — and
 * {@code List-Unsubscribe} pointing at the citizen's notification settings where the message is not
 * one they must get. SMTP's blocking client runs off the event loop.
 */
@Component
public class EmailChannel {

	/**
	 * One message to one address.
	 *
	 * @param id unique per message, stable across attempts: becomes {@code <id@domain>}
	 * @param language {@code id} or {@code en}: the HTML's {@code lang} and {@code Content-Language}
	 * @param unsubscribe whether to offer {@code List-Unsubscribe} (not for codes or "you are called")
	 */
	public record Mail(String id, String to, String language, String subject, String text, boolean unsubscribe) {
	}

	private static final String UTF_8 = "UTF-8";

	private final JavaMailSenderImpl sender;

	private final String from;

	private final String domain;

	private final String settings;

	EmailChannel(JavaMailSenderImpl sender, @Value("${mpp.notification.email.from}") String from,
			@Value("${mpp.notification.email.message-id-domain}") String domain,
			@Value("${mpp.notification.settings-url}") String settings) {
		this.sender = sender;
		this.from = from;
		this.domain = domain;
		this.settings = settings;
	}

	/** The {@code Message-ID} a message with this id is sent with. */
	public String messageId(String id) {
		return "<" + id + "@" + this.domain + ">";
	}

	/** Sends it; completes when the SMTP server accepted it, fails with the server's answer otherwise. */
	public Mono<Void> send(Mail mail) {
		return Mono.<Void>fromRunnable(() -> this.sender.send(message(mail))).subscribeOn(Schedulers.boundedElastic());
	}

	private MimeMessage message(Mail mail) {
		String messageId = messageId(mail.id());
		// JavaMail gives every message a new Message-ID when it is saved: keep ours
		MimeMessage message = new MimeMessage(this.sender.getSession()) {
			@Override
			protected void updateMessageID() throws MessagingException {
				setHeader("Message-ID", messageId);
			}
		};
		try {
			message.setFrom(new InternetAddress(this.from));
			message.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(mail.to()));
			message.setSubject(mail.subject(), UTF_8);
			String footer = "en".equals(mail.language()) ? "Your notification settings: " : "Pengaturan pemberitahuan Anda: ";
			// multipart/alternative: the plain text first, the HTML as the preferred rendering
			MimeBodyPart text = new MimeBodyPart();
			text.setText(mail.text() + "\n\n--\nMPP Digital\n" + footer + this.settings, UTF_8, "plain");
			MimeBodyPart html = new MimeBodyPart();
			html.setText(html(mail, footer), UTF_8, "html");
			MimeMultipart alternative = new MimeMultipart("alternative");
			alternative.addBodyPart(text);
			alternative.addBodyPart(html);
			message.setContent(alternative);
			message.setHeader("Content-Language", mail.language());
			if (mail.unsubscribe()) {
				message.setHeader("List-Unsubscribe", "<" + this.settings + ">");
			}
			return message;
		}
		catch (MessagingException ex) {
			throw new IllegalArgumentException("Cannot build the email " + messageId + ": " + ex.getMessage(), ex);
		}
	}

	private String html(Mail mail, String footer) {
		String body = HtmlUtils.htmlEscape(mail.text()).replace("\n", "<br>\n");
		return "<!DOCTYPE html>\n<html lang=\"" + mail.language() + "\"><head><meta charset=\"utf-8\"><title>"
				+ HtmlUtils.htmlEscape(mail.subject()) + "</title></head>\n<body><h1>" + HtmlUtils.htmlEscape(mail.subject())
				+ "</h1>\n<p>" + body + "</p>\n<hr><p>MPP Digital · <a href=\"" + HtmlUtils.htmlEscape(this.settings) + "\">"
				+ HtmlUtils.htmlEscape(footer.replace(": ", "")) + "</a></p></body></html>\n";
	}

}
