package id.mppdigital.adapter.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.adapter.delivery.AgencyStatus;
import id.mppdigital.adapter.delivery.Deliveries;
import id.mppdigital.adapter.delivery.FileConnector;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Takes file agencies' result files from their SFTP outbox, each file once, even across restarts:
 * a file is read only if the store has no record of it, its checksum ({@code <name>.sha256}) must
 * match or it is left for the agency to fix, and once all its rows are through it is recorded here,
 * then moved to {@code outbox/processed/}. A crash in between reads the file again: its rows carry
 * the agency's report ids, so application-service applies each once.
 * <p>
 * Each row is one status in the agency's codes ({@code DITERIMA}, {@code DIPROSES},
 * {@code PERBAIKAN}, {@code DISETUJUI}, {@code DITOLAK}, {@code SELESAI}), passed on in file order
 * through the same door as a webhook's ({@link AgencyReports#accept}); {@code GAGAL} is a row of a
 * batch the agency could not take, which makes that delivery a refusal for an operator. A malformed
 * row — unknown code, a bad time, an application this agency was not sent, a report that breaks the
 * contract — is rejected with its file and row number (logged, counted, kept in the file's record)
 * while the other rows go through.
 */
@Component
class ResultFiles {

	private static final Logger log = LoggerFactory.getLogger(ResultFiles.class);

	/** One result file taken: when, how many rows went through, and which were rejected. */
	@Document("result_files")
	record Taken(@Id String id, String agencyId, String name, Instant takenAt, int rows, List<Reject> rejects) {

		record Reject(long row, String reason) {
		}

	}

	private final Deliveries deliveries;

	private final AgencyReports reports;

	private final Contracts contracts;

	private final ReactiveMongoTemplate mongo;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Map<String, SerialJob> jobs = new LinkedHashMap<>();

	ResultFiles(Deliveries deliveries, AgencyReports reports, Contracts contracts, ReactiveMongoTemplate mongo,
			JsonMapper json, MeterRegistry meters, Clock clock) {
		this.deliveries = deliveries;
		this.reports = reports;
		this.contracts = contracts;
		this.mongo = mongo;
		this.json = json;
		this.meters = meters;
		this.clock = clock;
		deliveries.fileAgencies().forEach((agencyId, files) -> this.jobs.put(agencyId,
				new SerialJob("result files of " + agencyId, () -> pickUp(agencyId, files))));
	}

	@Scheduled(fixedDelayString = "${mpp.adapter.sweep-interval:1s}", initialDelayString = "${mpp.adapter.sweep-interval:1s}")
	void sweep() {
		this.jobs.values().forEach(SerialJob::trigger);
	}

	private Mono<Void> pickUp(String agencyId, FileConnector files) {
		return files.resultFiles()
			.flatMapMany(Flux::fromIterable)
			.concatMap(name -> this.mongo.exists(Query.query(Criteria.where("_id").is(agencyId + "/" + name)), Taken.class)
				.flatMap(taken -> taken ? files.archive(name) : files.read(name).flatMap(file -> take(agencyId, files, file))))
			.onErrorResume(failure -> {
				log.debug("result files of {} not read: {}", agencyId, failure.toString());
				return Mono.empty();
			})
			.then();
	}

	private Mono<Void> take(String agencyId, FileConnector files, FileConnector.ResultFile file) {
		if (!file.intact()) {
			count(agencyId, "corrupt-file");
			log.warn("{}: result file {} does not match its checksum; left for the agency", agencyId, file.name());
			return Mono.empty();
		}
		List<CSVRecord> rows;
		try (CSVParser parser = CSVParser.parse(new StringReader(new String(file.content(), StandardCharsets.UTF_8)),
				CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
			rows = parser.getRecords();
		}
		catch (IOException | RuntimeException unreadable) {
			count(agencyId, "corrupt-file");
			log.warn("{}: result file {} is not CSV: {}", agencyId, file.name(), unreadable.getMessage());
			return Mono.empty();
		}
		List<Taken.Reject> rejects = new ArrayList<>();
		return Flux.fromIterable(rows)
			.concatMap(row -> take(agencyId, row).onErrorResume(Malformed.class, malformed -> {
				// the header is line 1 of the file
				long line = row.getRecordNumber() + 1;
				rejects.add(new Taken.Reject(line, malformed.getMessage()));
				count(agencyId, "malformed-row");
				log.warn("{}: {} row {} rejected: {}", agencyId, file.name(), line, malformed.getMessage());
				return Mono.empty();
			}))
			.then(Mono.defer(() -> this.mongo.insert(new Taken(agencyId + "/" + file.name(), agencyId, file.name(),
					this.clock.instant(), rows.size(), rejects))))
			.onErrorResume(DuplicateKeyException.class, again -> Mono.empty())
			.then(Mono.defer(() -> files.archive(file.name())));
	}

	/** A row that cannot be taken. */
	private static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message, null, false, false);
		}

	}

	private Mono<Void> take(String agencyId, CSVRecord row) {
		String applicationId = column(row, "nomor_permohonan");
		String code = column(row, "status");
		if ("GAGAL".equals(code)) {
			String reason = "the agency could not take row " + column(row, "baris") + " of " + column(row, "berkas") + ": "
					+ column(row, "alasan");
			return this.deliveries.refusedLater(agencyId, applicationId, reason).flatMap(refused -> refused ? Mono.empty()
					: Mono.error(new Malformed("GAGAL for " + applicationId + ", which is not delivered to " + agencyId)));
		}
		String status = AgencyStatus.fromLegacyCode(code);
		if (status == null) {
			return Mono.error(new Malformed("unknown status '" + code + "'"));
		}
		AgencyReports.Report report;
		try {
			Instant at = Instant.parse(column(row, "waktu"));
			int sequence = Integer.parseInt(column(row, "urutan"));
			// a revision's remark is what the citizen must fix; any other remark is shown as a note
			boolean revision = "NEEDS_REVISION".equals(status);
			String remark = blankToNull(column(row, "keterangan"));
			String body = this.json.writeValueAsString(new AgencyReports.Report(column(row, "id_laporan"), applicationId,
					status, at, sequence, blankToNull(column(row, "nomor_berkas")), revision ? null : remark,
					blankToNull(column(row, "alasan")),
					(revision && remark != null) ? List.of(new AgencyReports.Report.Fix(null, remark)) : List.of(),
					blankToNull(column(row, "pengambilan"))));
			report = this.contracts.read(AgencyReports.REPORTS_CONTRACT, body, AgencyReports.Report.class);
		}
		catch (DateTimeParseException | NumberFormatException bad) {
			return Mono.error(new Malformed("unreadable time or sequence: " + bad.getMessage()));
		}
		catch (ContractViolation violation) {
			return Mono.error(new Malformed("the report " + violation.getMessage()));
		}
		return this.reports.accept(agencyId, report, "file")
			.onErrorMap(ErrorResponseException.class,
					refused -> refused.getStatusCode().value() == 422 ? new Malformed(refused.getBody().getDetail()) : refused)
			.then(Mono.defer(() -> this.deliveries.forgetForm(agencyId, applicationId)));
	}

	private static String column(CSVRecord row, String name) {
		return (row.isMapped(name) && row.isSet(name)) ? row.get(name).strip() : "";
	}

	private static String blankToNull(String text) {
		return text.isEmpty() ? null : text;
	}

	private void count(String agencyId, String result) {
		this.meters.counter("mpp.adapter.reports", "agency", agencyId, "via", "file", "result", result).increment();
	}

}
