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
 * {@code <data>/mail/<n>-<recipient>.eml} — open one in any mail program, or read it as text. Nothing
 * leaves the machine.
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

	private int written;

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

	private synchronized void writeNew() {
		MimeMessage[] received = this.server.getReceivedMessages();
		try {
			Files.createDirectories(this.folder);
			for (; this.written < received.length; this.written++) {
				MimeMessage message = received[this.written];
				String to = message.getAllRecipients() == null ? "unknown"
						: message.getAllRecipients()[0].toString().replaceAll("[^A-Za-z0-9@._-]", "_");
				Path file = this.folder.resolve(String.format("%05d-%s.eml", this.written + 1, to));
				try (OutputStream out = Files.newOutputStream(file)) {
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
