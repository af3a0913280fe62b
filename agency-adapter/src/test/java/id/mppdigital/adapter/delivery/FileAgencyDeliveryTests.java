package id.mppdigital.adapter.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import id.mppdigital.adapter.messagelog.Hashes;
import id.mppdigital.simulators.BackOffice;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter against a real SFTP server (Apache MINA SSHD) of an agency that works on files:
 * batches of CSV rows into its drop folder (checksum beside, renamed when whole), result files back
 * from its outbox, each taken once; a row it could not take, or a malformed result row, is set
 * apart with its file and row number while the others go through.
 */
class FileAgencyDeliveryTests extends AgencyHarness {

	@Test
	void applicationsGoAsOneChecksummedBatchAndTheResultFilesBringEachStatusBackOnce() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(submit("bpn", "Pemilik Tanah " + i));
		}
		until("the batch taken", Duration.ofSeconds(20), () -> ids.stream().allMatch(bpn::received));
		for (String id : ids) {
			List<JsonNode> reports = acceptedReports(id, 4, Duration.ofSeconds(30));
			assertThat(reports).extracting(report -> report.get("status").asString())
				.containsExactly("RECEIVED", "IN_PROCESS", "APPROVED", "COMPLETED");
			assertThat(reports).allSatisfy(report -> assertThat(report.get("via").asString()).isEqualTo("file"));
			assertThat(reports.get(0).get("agencyReference").asString()).startsWith("BPN-");
		}
		assertThat(bpn.duplicates()).isZero();
		assertThat(bpn.corruptBatches()).isZero();
		// the batch, as the agency has it: the header and the mapped fields only, and its checksum
		Delivery delivered = this.store.findById(ids.get(0), Delivery.class).block();
		assertThat(delivered.batch()).matches("BPN_[0-9]{8}T[0-9]{6}Z_[0-9a-z]+\\.csv");
		String batch = Files.readString(bpn.folder("processed").resolve(delivered.batch()));
		assertThat(batch.lines().findFirst().orElseThrow())
			.isEqualTo("nomor_permohonan,jenis_layanan,versi_standar,kode_mpp,tanggal_pengajuan,jatuh_tempo,nama_pemohon,nik");
		assertThat(batch).contains(ids.get(0)).doesNotContain("telepon");
		assertThat(bpn.folder("processed").resolve(delivered.batch() + ".sha256")).exists();
		// the form is dropped once the agency gave its first word
		until("form dropped", Duration.ofSeconds(5), () -> this.store.findById(ids.get(0), Delivery.class).block().payload() == null);
		// every result file the agency wrote was taken and moved out of its outbox
		until("outbox emptied", Duration.ofSeconds(10), () -> csvFiles(bpn.folder("outbox")).isEmpty());
	}

	@Test
	void aResultFileIsTakenOnceAndABatchSentAgainIsNotRegisteredTwice() throws Exception {
		String id = submit("bpn", "Sekali Saja");
		until("taken", Duration.ofSeconds(20), () -> bpn.received(id));
		assertThat(acceptedReports(id, 4, Duration.ofSeconds(30))).hasSize(4);
		until("outbox emptied", Duration.ofSeconds(10), () -> csvFiles(bpn.folder("outbox")).isEmpty());

		// the agency puts an old result file back (a restore, a retry of its own): it was taken before
		Path processed = this.store.getCollection("result_files").flatMapMany(c -> c.find()).map(doc -> doc.getString("name"))
			.map(name -> bpn.folder("outbox").resolve("processed").resolve(name))
			.filter(Files::exists)
			.blockFirst();
		assertThat(processed).isNotNull();
		Files.copy(processed, bpn.folder("outbox").resolve(processed.getFileName()));
		Files.copy(processed.resolveSibling(processed.getFileName() + ".sha256"),
				bpn.folder("outbox").resolve(processed.getFileName() + ".sha256"));
		long takenBefore = this.store.count(new Query(), "result_files").block();
		until("moved away again", Duration.ofSeconds(10), () -> !Files.exists(bpn.folder("outbox").resolve(processed.getFileName())));
		assertThat(this.store.count(new Query(), "result_files").block()).isEqualTo(takenBefore);

		// the adapter stopped after its batch was renamed into the drop folder but before recording
		// that: it finds the batch there and writes nothing again
		bpn.mode(BackOffice.Mode.DOWN); // no pick-ups for now
		String next = submit("bpn", "Setelah Mogok");
		until("written", Duration.ofSeconds(20),
				() -> stateOf(next) == Delivery.State.DELIVERED);
		String batch = this.store.findById(next, Delivery.class).block().batch();
		this.store.updateFirst(Query.query(Criteria.where("_id").is(next)),
				new Update().set("state", "PENDING").set("nextAttemptAt", Instant.now()), Delivery.class).block();
		until("recorded again", Duration.ofSeconds(10),
				() -> stateOf(next) == Delivery.State.DELIVERED);
		assertThat(this.store.findById(next, Delivery.class).block().batch()).isEqualTo(batch);
		assertThat(csvFiles(bpn.folder("inbox"))).extracting(file -> file.getFileName().toString()).containsExactly(batch);
		bpn.mode(BackOffice.Mode.NORMAL);
		until("taken", Duration.ofSeconds(10), () -> bpn.received(next));
		// ... or it stopped half-way through writing, and writes the same batch again after the agency
		// took the first: the agency takes a batch name once
		Path taken = bpn.folder("processed").resolve(batch);
		Files.copy(taken, bpn.folder("inbox").resolve(batch + ".part"));
		Files.copy(taken.resolveSibling(batch + ".sha256"), bpn.folder("inbox").resolve(batch + ".sha256"));
		Files.move(bpn.folder("inbox").resolve(batch + ".part"), bpn.folder("inbox").resolve(batch));
		until("picked up", Duration.ofSeconds(10), () -> csvFiles(bpn.folder("inbox")).isEmpty());
		assertThat(bpn.duplicates()).isZero();
	}

	@Test
	void aRowTheAgencyCouldNotTakeWaitsForAnOperatorAndMalformedResultRowsAreSetApartWithTheirRow() throws Exception {
		String poison = submit("bpn", "TOLAK");
		String fine = submit("bpn", "Pemohon Baik");
		until("the good one taken", Duration.ofSeconds(20), () -> bpn.received(fine));
		until("the poison one refused", Duration.ofSeconds(20),
				() -> stateOf(poison) == Delivery.State.REFUSED);
		Delivery refused = this.store.findById(poison, Delivery.class).block();
		assertThat(refused.lastError()).contains("row").contains(refused.batch()).contains("cannot be processed");
		assertThat(refused.payload()).as("kept for the operator's replay").isNotNull();

		// the agency's result file with a good row between a malformed one and another agency's application
		assertThat(acceptedReports(fine, 1, Duration.ofSeconds(20))).isNotEmpty();
		String polrisApplication = submit("polri", "Bukan BPN");
		until("polri has it", Duration.ofSeconds(20), () -> polri.received(polrisApplication));
		String now = Instant.now().plusSeconds(60).toString();
		String content = String.join("\r\n", "id_laporan,nomor_permohonan,urutan,status,waktu,nomor_berkas,keterangan,alasan,pengambilan,berkas,baris",
				"HAND-1," + fine + ",7,TERBANG," + now + ",,,,,,",
				"HAND-2," + fine + ",8,PERBAIKAN," + now + ",,Lengkapi sertifikat,,,,",
				"HAND-3," + polrisApplication + ",9,DITOLAK," + now + ",,,bukan urusan BPN,,,", "");
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		Path outbox = bpn.folder("outbox");
		Files.write(outbox.resolve("HAND_1.csv.part"), bytes);
		Files.writeString(outbox.resolve("HAND_1.csv.sha256"), Hashes.sha256(bytes) + "  HAND_1.csv\n");
		Files.move(outbox.resolve("HAND_1.csv.part"), outbox.resolve("HAND_1.csv"));
		until("taken", Duration.ofSeconds(10), () -> this.store.count(Query.query(Criteria.where("_id").is("bpn/HAND_1.csv")),
				"result_files").block() == 1);
		Document taken = this.store.getCollection("result_files").flatMapMany(c -> c.find(new Document("_id", "bpn/HAND_1.csv")))
			.blockFirst();
		assertThat(taken.getList("rejects", Document.class)).extracting(reject -> reject.get("row"))
			.containsExactly(2L, 4L);
		assertThat(taken.getList("rejects", Document.class).get(1).getString("reason")).contains("not delivered to agency bpn");
		assertThat(acceptedReports(fine, 10, Duration.ofSeconds(3))).extracting(report -> report.get("reportId").asString())
			.contains("HAND-2").doesNotContain("HAND-1");
		assertThat(acceptedReports(polrisApplication, 10, Duration.ofSeconds(2)))
			.noneMatch(report -> report.get("reportId").asString().equals("HAND-3"));
	}

	private static List<Path> csvFiles(Path folder) {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(file -> file.getFileName().toString().endsWith(".csv")).toList();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
