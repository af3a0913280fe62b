package id.mppdigital.simulators;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agency that works on files, as the demo's BPN does: an SFTP server (Apache MINA SSHD) with a
 * drop folder {@code inbox/} and an {@code outbox/}. At each pick-up (nightly in life, every
 * {@code pickup} here) it takes every finished batch in {@code inbox/} — {@code <name>.csv} with
 * its {@code <name>.csv.sha256} beside it; files still being written ({@code .part}) are left alone
 * — once per file name, for ever: a batch sent again under the same name is not registered again.
 * A batch whose checksum does not match is set aside in {@code rejected/} untouched.
 * <p>
 * It answers with result files in {@code outbox/} ({@code HASIL_<time>_<n>.csv}, each with its
 * {@code .sha256}, written under a temporary name and renamed): one row per status, in the
 * agency's codes — {@code GAGAL} for a row it could not take (its batch and row number), then
 * {@code DITERIMA} with its reference, {@code DIPROSES}, {@code DISETUJUI}, {@code SELESAI} as it
 * decides. Sign-in by user name and password; the host key is kept in the data folder and its
 * {@code known_hosts} line written beside it.
 */
public final class FileAgency implements SimulatedAgency {

	private static final Logger log = LoggerFactory.getLogger(FileAgency.class);

	/** The batch's columns before the form's fields (under the agency's names). */
	public static final List<String> BATCH_COLUMNS = List.of("nomor_permohonan", "jenis_layanan", "versi_standar",
			"kode_mpp", "tanggal_pengajuan", "jatuh_tempo");

	public static final List<String> RESULT_COLUMNS = List.of("id_laporan", "nomor_permohonan", "urutan", "status",
			"waktu", "nomor_berkas", "keterangan", "alasan", "pengambilan", "berkas", "baris");

	private static final Map<String, String> CODES = Map.of("RECEIVED", "DITERIMA", "IN_PROCESS", "DIPROSES",
			"APPROVED", "DISETUJUI", "COMPLETED", "SELESAI");

	private final BackOffice office;

	private final SshServer server;

	private final Path root;

	private final Path knownHosts;

	private final ScheduledExecutorService clock;

	/** batch file names it has taken, for ever */
	private final Set<String> processed = ConcurrentHashMap.newKeySet();

	/** statuses decided but not yet written to a result file */
	private final List<List<String>> results = new ArrayList<>();

	private final AtomicLong resultFiles = new AtomicLong();

	private final AtomicLong corrupt = new AtomicLong();

	private FileAgency(String agencyId, int port, Path root, String user, String password, Duration pickup,
			Duration reportDelay) throws IOException {
		this.office = new BackOffice(agencyId, reportDelay);
		this.root = root;
		for (String folder : List.of("inbox", "outbox", "rejected", "processed")) {
			Files.createDirectories(root.resolve("files").resolve(folder));
		}
		this.server = SshServer.setUpDefaultServer();
		this.server.setHost("127.0.0.1");
		this.server.setPort(port);
		SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(root.resolve("host-key.ser"));
		hostKey.setAlgorithm("EC");
		this.server.setKeyPairProvider(hostKey);
		this.server.setPasswordAuthenticator((name, secret, session) -> user.equals(name) && password.equals(secret));
		this.server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
		this.server.setFileSystemFactory(new VirtualFileSystemFactory(root.resolve("files")));
		this.server.start();
		this.knownHosts = root.resolve("known_hosts");
		String key = PublicKeyEntry.toString(hostKey.loadKeys(null).iterator().next().getPublic());
		Files.writeString(this.knownHosts, "[127.0.0.1]:" + this.server.getPort() + " " + key + "\n");
		this.clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, agencyId + "-file-pickup");
			thread.setDaemon(true);
			return thread;
		});
		this.clock.scheduleWithFixedDelay(this::pickUp, pickup.toMillis(), pickup.toMillis(), TimeUnit.MILLISECONDS);
		log.info("{} file back office on sftp://{}@127.0.0.1:{} (files in {})", agencyId, user, this.server.getPort(), root);
	}

	/**
	 * @param port 0 for any free port
	 * @param root its data folder (the served files under {@code files/}, its host key, known_hosts)
	 * @param pickup how often it takes the drop folder's batches and writes its result files
	 */
	public static FileAgency start(String agencyId, int port, Path root, String user, String password, Duration pickup,
			Duration reportDelay) {
		try {
			return new FileAgency(agencyId, port, root, user, password, pickup, reportDelay);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public BackOffice office() {
		return this.office;
	}

	public int port() {
		return this.server.getPort();
	}

	/** Its host key as an OpenSSH {@code known_hosts} file, for the adapter to check whom it talks to. */
	public Path knownHosts() {
		return this.knownHosts;
	}

	/** Batches set aside because their checksum did not match. */
	public long corruptBatches() {
		return this.corrupt.get();
	}

	/** Result files it wrote. */
	public long resultFiles() {
		return this.resultFiles.get();
	}

	/** A folder of what it serves ({@code inbox}, {@code outbox}, ...), for a test to look into or tamper with. */
	public Path folder(String name) {
		return this.root.resolve("files").resolve(name);
	}

	private synchronized void pickUp() {
		try {
			if (this.office.mode() != BackOffice.Mode.DOWN) {
				try (Stream<Path> files = Files.list(folder("inbox"))) {
					files.filter(file -> file.getFileName().toString().endsWith(".csv")).sorted().forEach(this::take);
				}
			}
			writeResults();
		}
		catch (IOException | RuntimeException ex) {
			log.warn("{}: pick-up failed: {}", this.office.agencyId(), ex.toString());
		}
	}

	private void take(Path batch) {
		String name = batch.getFileName().toString();
		try {
			Path checksum = batch.resolveSibling(name + ".sha256");
			if (!Files.exists(checksum)) {
				return; // not finished
			}
			byte[] content = Files.readAllBytes(batch);
			String expected = Files.readString(checksum).strip().split("\\s+")[0];
			if (!sha256(content).equalsIgnoreCase(expected)) {
				this.corrupt.incrementAndGet();
				log.warn("{}: batch {} does not match its checksum; set aside", this.office.agencyId(), name);
				Files.move(batch, folder("rejected").resolve(name), StandardCopyOption.REPLACE_EXISTING);
				Files.move(checksum, folder("rejected").resolve(name + ".sha256"), StandardCopyOption.REPLACE_EXISTING);
				return;
			}
			if (this.processed.add(name)) {
				register(name, new String(content, StandardCharsets.UTF_8));
			}
			else {
				log.info("{}: batch {} was taken before; not again", this.office.agencyId(), name);
			}
			Files.move(batch, folder("processed").resolve(name), StandardCopyOption.REPLACE_EXISTING);
			Files.move(checksum, folder("processed").resolve(name + ".sha256"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void register(String batch, String content) throws IOException {
		CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
		try (CSVParser rows = CSVParser.parse(new StringReader(content), format)) {
			for (CSVRecord row : rows) {
				this.office.request();
				String applicationId = row.isMapped("nomor_permohonan") ? row.get("nomor_permohonan") : "";
				// the data line: the header is line 1
				String line = Long.toString(row.getRecordNumber() + 1);
				if (!applicationId.startsWith("PMH-")) {
					result(List.of("", applicationId, "", "GAGAL", Instant.now().toString(), "", "", "nomor permohonan tidak sah",
							"", batch, line));
					continue;
				}
				String name = row.isMapped("nama_pemohon") ? row.get("nama_pemohon") : "";
				try {
					this.office.take(applicationId, null, name, this::decided);
				}
				catch (BackOffice.Refusal refusal) {
					result(List.of(applicationId + "-GAGAL", applicationId, "", "GAGAL", Instant.now().toString(), "", "",
							refusal.getMessage(), "", batch, line));
				}
			}
		}
	}

	private void decided(BackOffice.Status step) {
		result(List.of(step.reportId(), step.applicationId(), Integer.toString(step.sequence()), CODES.get(step.status()),
				step.at().toString(), step.reference(), "", "", step.collection() == null ? "" : step.collection(), "", ""));
	}

	private void result(List<String> row) {
		synchronized (this.results) {
			this.results.add(row);
		}
	}

	private void writeResults() throws IOException {
		List<List<String>> rows;
		synchronized (this.results) {
			if (this.results.isEmpty()) {
				return;
			}
			rows = new ArrayList<>(this.results);
			this.results.clear();
		}
		StringWriter text = new StringWriter();
		try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180.builder()
			.setHeader(RESULT_COLUMNS.toArray(String[]::new))
			.get())) {
			for (List<String> row : rows) {
				printer.printRecord(row);
			}
		}
		byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
		String name = "HASIL_" + Instant.now().toEpochMilli() + "_" + this.resultFiles.incrementAndGet() + ".csv";
		Path outbox = folder("outbox");
		Path part = outbox.resolve(name + ".part");
		Files.write(part, content);
		Files.writeString(outbox.resolve(name + ".sha256"), sha256(content) + "  " + name + "\n");
		Files.move(part, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.clock.shutdownNow();
		this.office.close();
		try {
			this.server.stop(true);
		}
		catch (IOException ex) {
			log.debug("stopping the SFTP server: {}", ex.toString());
		}
	}

}
