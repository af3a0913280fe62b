package id.mppdigital.notification.channels;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Email over real SMTP (spring.mail.*): a plain-text and an HTML part, in the citizen's language, with
 * a {@code Message-ID} chosen by the caller — the same for every attempt of one message, so that a
 * resend after a crash is recognisable as the same message by any mail system that sees both — and
 * {@code List-Unsubscribe} pointing at the citizen's notification settings where the message is not
 * one they must get. SMTP's blocking client runs off the event loop, on connections kept open between
 * messages (most of a single message's time is the connection: greeting, {@code EHLO}, {@code QUIT});
 * one idle longer than {@code mpp.notification.email.idle} is closed, and a message that finds its
 * kept connection failing (closed by the server since, or refused) is sent once more on a new one.
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

	private record Kept(Transport transport, long since) {
	}

	private final JavaMailSenderImpl sender;

	private final ConcurrentLinkedDeque<Kept> kept = new java.util.concurrent.ConcurrentLinkedDeque<>();

	private final long idle;

	private final String from;

	private final String domain;

	private final String settings;

	EmailChannel(JavaMailSenderImpl sender, @Value("${mpp.notification.email.from}") String from,
			@Value("${mpp.notification.email.message-id-domain}") String domain,
			@Value("${mpp.notification.settings-url}") String settings,
			@Value("${mpp.notification.email.idle:10s}") Duration idle) {
		this.sender = sender;
		this.idle = idle.toNanos();
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
		return Mono.<Void>fromRunnable(() -> deliver(message(mail))).subscribeOn(Schedulers.boundedElastic());
	}

	private void deliver(MimeMessage message) {
		try {
			message.saveChanges();
			Kept connection = take();
			try {
				connection.transport().sendMessage(message, message.getAllRecipients());
			}
			catch (MessagingException failed) {
				close(connection.transport());
				if (connection.since() == 0 || answered(failed)) {
					throw failed;
				}
				// a kept connection may have been closed by the server since: once more on a new one
				connection = new Kept(connect(), 0);
				try {
					connection.transport().sendMessage(message, message.getAllRecipients());
				}
				catch (MessagingException again) {
					close(connection.transport());
					throw again;
				}
			}
			this.kept.offerFirst(new Kept(connection.transport(), System.nanoTime()));
		}
		catch (MessagingException ex) {
			throw new MailSendException("The SMTP server did not take the message: " + ex.getMessage(), ex);
		}
	}

	/** A kept connection (since > 0), else a new one (since 0). */
	private Kept take() throws MessagingException {
		for (Kept connection = this.kept.pollFirst(); connection != null; connection = this.kept.pollFirst()) {
			if (System.nanoTime() - connection.since() < this.idle) {
				return connection;
			}
			close(connection.transport());
		}
		return new Kept(connect(), 0);
	}

	/**
	 * The server answered the message itself (refused it, or not now): sending it again at once on
	 * another connection would only ask twice. 421 is the server closing the connection, and a
	 * connection that broke has no answer at all (-1).
	 */
	private static boolean answered(MessagingException failed) {
		for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
			int code = cause instanceof SMTPSendFailedException sendFailed ? sendFailed.getReturnCode()
					: cause instanceof SMTPAddressFailedException addressFailed ? addressFailed.getReturnCode() : -1;
			if (code >= 400 && code != 421) {
				return true;
			}
		}
		return false;
	}

	private Transport connect() throws MessagingException {
		Transport transport = this.sender.getSession().getTransport(this.sender.getProtocol());
		transport.connect(this.sender.getHost(), this.sender.getPort(), emptyToNull(this.sender.getUsername()),
				emptyToNull(this.sender.getPassword()));
		return transport;
	}

	private static String emptyToNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

	private static void close(Transport transport) {
		try {
			transport.close();
		}
		catch (MessagingException ignored) {
			// it is gone either way
		}
	}

	/** Closes the kept connections ({@code QUIT}). */
	@PreDestroy
	void closeAll() {
		for (Kept connection = this.kept.pollFirst(); connection != null; connection = this.kept.pollFirst()) {
			close(connection.transport());
		}
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
