package id.mppdigital.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The local stack's mail server: a real SMTP server in the launcher (GreenMail) that accepts every
 * message notification-service sends, for any address, and writes each as it was received to
 * {@code <data>/mail/<n>-<recipient>.eml} — open one in any mail program, or read it as text; its first
 * line, {@code X-Mailbox-Received}, says when the server accepted it. Nothing leaves the machine.
 */
final class Mailbox implements AutoCloseable {

	static final int SMTP_PORT = 1025;

	private final GreenMail server;

	private final Path folder;

	private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "local-stack-mailbox");
		thread.setDaemon(true);
		return thread;
	});

	private final java.util.Set<String> written = new java.util.HashSet<>();

	private Mailbox(GreenMail server, Path folder) {
		this.server = server;
		this.folder = folder;
	}

	static Mailbox start(Path folder, String host, int port) {
		GreenMail server = new GreenMail(new ServerSetup(port, host, ServerSetup.PROTOCOL_SMTP));
		server.start();
		Mailbox mailbox = new Mailbox(server, folder);
		mailbox.writer.scheduleWithFixedDelay(mailbox::writeNew, 500, 500, TimeUnit.MILLISECONDS);
		return mailbox;
	}

	int port() {
		return this.server.getSmtp().getPort();
	}

	Path folder() {
		return this.folder;
	}

	/**
	 * Writes every message not written yet. The server lists its messages mailbox by mailbox, so a new
	 * one may come before older ones: each is known by its Message-ID, recipient and time, not its place.
	 */
	private synchronized void writeNew() {
		try {
			Files.createDirectories(this.folder);
			for (MimeMessage message : this.server.getReceivedMessages()) {
				String to = message.getAllRecipients() == null ? "unknown"
						: message.getAllRecipients()[0].toString().replaceAll("[^A-Za-z0-9@._-]", "_");
				java.util.Date acceptedAt = message.getReceivedDate();
				if (!this.written.add(message.getMessageID() + "|" + to + "|" + acceptedAt)) {
					continue;
				}
				Path file = this.folder.resolve(String.format("%05d-%s.eml", this.written.size(), to));
				try (OutputStream out = Files.newOutputStream(file)) {
					// when the server accepted it, to the millisecond (a header of the file, not of the message)
					if (acceptedAt != null) {
						out.write(("X-Mailbox-Received: " + acceptedAt.toInstant() + "\r\n")
							.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
					}
					message.writeTo(out);
				}
			}
		}
		catch (IOException | MessagingException ex) {
			System.err.println("local-stack mailbox: cannot write a received message: " + ex);
		}
	}

	@Override
	public void close() {
		this.writer.shutdownNow();
		writeNew();
		this.server.stop();
	}

}
