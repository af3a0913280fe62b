package id.mppdigital.adapter.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.adapter.messagelog.Hashes;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.sshd.sftp.client.SftpClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.FileSystemResource;
import org.springframework.integration.file.remote.session.CachingSessionFactory;
import org.springframework.integration.file.remote.session.Session;
import org.springframework.integration.sftp.session.DefaultSftpSessionFactory;
import org.springframework.integration.sftp.session.SftpRemoteFileTemplate;

/**
 * An agency that works on files, over SFTP (Spring Integration's SFTP sessions, on Apache MINA
 * SSHD): applications go as CSV batches into its drop folder {@code inbox/}, results come back as
 * CSV files in its {@code outbox/}.
 * <p>
 * A batch is one file, {@code <AGENCY>_<batch id>.csv}: a header, then one row per application —
 * {@link #COLUMNS} and the form's fields under the agency's own names (its {@code fields}
 * mapping; other fields are not sent). It is written as {@code <name>.part}, its SHA-256 beside it
 * as {@code <name>.sha256} ({@code sha256sum}'s format), then renamed to its name, so the agency
 * never sees half a batch. The file name is the batch's key: a batch whose writing failed or was
 * cut short is written again under the same name with the same rows, and the agency takes a name
 * once. The server is only talked to if its host key is the one configured ({@code known-hosts}).
 */
public final class FileConnector implements Connector {

	/** The batch's columns before the form's fields. */
	public static final List<String> COLUMNS = List.of("nomor_permohonan", "jenis_layanan", "versi_standar",
			"kode_mpp", "tanggal_pengajuan", "jatuh_tempo");

	static final String DROP = "inbox";

	static final String RESULTS = "outbox";

	private final SftpRemoteFileTemplate sftp;

	private final AgencyProperties.Agency agency;

	private final JsonMapper json;

	/** The form's fields the agency takes, in column order: platform name → the agency's. */
	private final TreeMap<String, String> fields;

	FileConnector(AgencyProperties.Agency agency, JsonMapper json) {
		this.agency = agency;
		this.json = json;
		this.fields = new TreeMap<>(agency.fields());
		DefaultSftpSessionFactory sessions = new DefaultSftpSessionFactory(false);
		sessions.setHost(agency.endpoint().getHost());
		sessions.setPort(agency.endpoint().getPort() < 0 ? 22 : agency.endpoint().getPort());
		sessions.setUser(agency.endpoint().getUserInfo());
		sessions.setPassword(agency.password());
		sessions.setAllowUnknownKeys(false);
		if (agency.knownHosts() != null && !agency.knownHosts().isBlank()) {
			sessions.setKnownHostsResource(new FileSystemResource(agency.knownHosts()));
		}
		sessions.setTimeout((int) agency.timeout().toMillis());
		CachingSessionFactory<SftpClient.DirEntry> cached = new CachingSessionFactory<>(sessions, 2);
		cached.setSessionWaitTimeout(agency.timeout().toMillis());
		this.sftp = new SftpRemoteFileTemplate(cached);
	}

	@Override
	public int batchSize() {
		return this.agency.batchSize();
	}

	@Override
	public Mono<Outcome> deliver(Delivery delivery) {
		return deliver(delivery.agencyId().toUpperCase(Locale.ROOT) + "_" + delivery.id() + ".csv", List.of(delivery));
	}

	@Override
	public Mono<Outcome> deliver(String batch, List<Delivery> deliveries) {
		byte[] content;
		try {
			content = csv(deliveries);
		}
		catch (RuntimeException unmappable) {
			return Mono.just(new Outcome.Refused("mapping: " + unmappable.getMessage()));
		}
		String checksum = Hashes.sha256(content) + "  " + batch + "\n";
		return Mono.fromCallable(() -> this.sftp.<Outcome>execute(session -> {
			String target = DROP + "/" + batch;
			if (session.exists(target)) {
				return new Outcome.Delivered(batch); // renamed before: it is there, whole
			}
			session.write(new ByteArrayInputStream(content), target + ".part");
			session.write(new ByteArrayInputStream(checksum.getBytes(StandardCharsets.US_ASCII)), target + ".sha256");
			session.rename(target + ".part", target);
			return new Outcome.Delivered(batch);
		}))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.agency.timeout().multipliedBy(3))
			.onErrorResume(failure -> Mono.just(new Outcome.Failed("sftp: " + rootCause(failure))));
	}

	/** The result files waiting in the agency's outbox, oldest name first. */
	public Mono<List<String>> resultFiles() {
		return Mono.fromCallable(() -> this.sftp.<List<String>>execute(session -> {
			String[] names = session.listNames(RESULTS);
			List<String> results = new ArrayList<>();
			for (String name : names == null ? new String[0] : names) {
				String file = name.substring(name.lastIndexOf('/') + 1);
				if (file.endsWith(".csv")) {
					results.add(file);
				}
			}
			results.sort(null);
			return results;
		})).subscribeOn(Schedulers.boundedElastic());
	}

	/** A result file and its checksum line, as the agency wrote them (the checksum empty if none). */
	public record ResultFile(String name, byte[] content, String checksum) {

		/** Whether the file is as the agency's checksum says. */
		public boolean intact() {
			return this.checksum != null && !this.checksum.isBlank()
					&& this.checksum.strip().split("\\s+")[0].equalsIgnoreCase(Hashes.sha256(this.content));
		}

	}

	public Mono<ResultFile> read(String name) {
		return Mono.fromCallable(() -> this.sftp.<ResultFile>execute(session -> {
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			session.read(RESULTS + "/" + name, content);
			String checksum = null;
			if (session.exists(RESULTS + "/" + name + ".sha256")) {
				ByteArrayOutputStream line = new ByteArrayOutputStream();
				session.read(RESULTS + "/" + name + ".sha256", line);
				checksum = line.toString(StandardCharsets.US_ASCII);
			}
			return new ResultFile(name, content.toByteArray(), checksum);
		})).subscribeOn(Schedulers.boundedElastic());
	}

	/** Moves a result file that was taken into {@code outbox/processed/}, out of the way of the next pick-up. */
	public Mono<Void> archive(String name) {
		return Mono.fromRunnable(() -> this.sftp.execute(session -> {
			String processed = RESULTS + "/processed";
			if (!session.exists(processed)) {
				session.mkdir(processed);
			}
			move(session, RESULTS + "/" + name, processed + "/" + name);
			move(session, RESULTS + "/" + name + ".sha256", processed + "/" + name + ".sha256");
			return null;
		})).subscribeOn(Schedulers.boundedElastic()).then();
	}

	private static void move(Session<SftpClient.DirEntry> session, String from, String to) throws IOException {
		if (session.exists(from)) {
			if (session.exists(to)) {
				session.remove(to);
			}
			session.rename(from, to);
		}
	}

	private byte[] csv(List<Delivery> deliveries) {
		List<String> header = new ArrayList<>(COLUMNS);
		header.addAll(this.fields.values());
		StringWriter text = new StringWriter();
		try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180.builder()
			.setHeader(header.toArray(String[]::new))
			.get())) {
			for (Delivery delivery : deliveries) {
				JsonNode application = this.json.readTree(delivery.payload());
				List<String> row = new ArrayList<>(Arrays.asList(application.path("applicationId").asString(),
						application.path("standardId").asString(), application.path("standardVersion").asString(),
						application.path("mppId").asString(), application.path("submittedAt").asString(),
						application.path("dueDate").asString()));
				for (String field : this.fields.keySet()) {
					JsonNode value = application.path("form").path(field);
					row.add(value.isMissingNode() || value.isNull() ? ""
							: value.isValueNode() ? value.asString() : this.json.writeValueAsString(value));
				}
				printer.printRecord(row);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

}
