package id.mppdigital.adapter.report;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.mppdigital.adapter.delivery.AgencyStatus;
import id.mppdigital.adapter.delivery.Deliveries;
import id.mppdigital.adapter.delivery.Delivery;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Asks agencies that report only when asked (no webhook, no topic: the SOAP service) how their
 * delivered applications stand, each one every poll interval until its last status (completed or
 * rejected) came. Statuses not passed on before are checked against the reports contract and passed
 * on in the agency's order through the same door as a webhook's ({@link AgencyReports#accept}); each
 * gets the id {@code <applicationId>-<sequence>}, so that asking again after a crash repeats an id
 * application-service already applied, never a new report. A status that breaks the contract is
 * counted and skipped; a failure to pass one on stops there and is asked again next time.
 */
@Component
class StatusPolling {

	private static final Logger log = LoggerFactory.getLogger(StatusPolling.class);

	private final Deliveries deliveries;

	private final AgencyReports reports;

	private final Contracts contracts;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final int batch;

	private final Map<String, SerialJob> jobs = new LinkedHashMap<>();

	StatusPolling(Deliveries deliveries, AgencyReports reports, Contracts contracts, JsonMapper json,
			MeterRegistry meters, @Value("${mpp.adapter.poll-batch:50}") int batch) {
		this.deliveries = deliveries;
		this.reports = reports;
		this.contracts = contracts;
		this.json = json;
		this.meters = meters;
		this.batch = batch;
		deliveries.polledAgencies()
			.forEach(agencyId -> this.jobs.put(agencyId, new SerialJob("status polls of " + agencyId, () -> poll(agencyId))));
	}

	@Scheduled(fixedDelayString = "${mpp.adapter.sweep-interval:1s}", initialDelayString = "${mpp.adapter.sweep-interval:1s}")
	void sweep() {
		this.jobs.values().forEach(SerialJob::trigger);
	}

	private Mono<Void> poll(String agencyId) {
		return this.deliveries.duePolls(agencyId, this.batch)
			.flatMap(delivery -> this.deliveries.statuses(delivery)
				.flatMap(statuses -> passOn(agencyId, delivery, statuses))
				.onErrorResume(failure -> {
					count(agencyId, "unreachable");
					log.debug("status of {} at {} not read: {}", delivery.id(), agencyId, failure.toString());
					return this.deliveries.reported(delivery, delivery.reportedSequence(), false);
				}), 4)
			.then();
	}

	private Mono<Void> passOn(String agencyId, Delivery delivery, List<AgencyStatus> statuses) {
		List<AgencyStatus> fresh = statuses.stream()
			.filter(status -> status.sequence() > delivery.reportedSequence())
			.sorted(Comparator.comparingInt(AgencyStatus::sequence))
			.toList();
		int[] passed = { delivery.reportedSequence() };
		boolean[] last = { false };
		return Flux.fromIterable(fresh)
			.concatMap(status -> report(agencyId, delivery, status).then(Mono.fromRunnable(() -> {
				passed[0] = status.sequence();
				last[0] = status.last();
			})))
			.then(Mono.defer(() -> this.deliveries.reported(delivery, passed[0], last[0])))
			.onErrorResume(failure -> this.deliveries.reported(delivery, passed[0], last[0]));
	}

	private Mono<Void> report(String agencyId, Delivery delivery, AgencyStatus status) {
		AgencyReports.Report report;
		try {
			String body = this.json.writeValueAsString(new AgencyReports.Report(delivery.id() + "-" + status.sequence(),
					delivery.id(), status.status(), status.at(), status.sequence(), status.agencyReference(), status.note(),
					status.reason(), status.revision().stream().map(fix -> new AgencyReports.Report.Fix(fix.field(),
							fix.message())).toList(), status.collection()));
			report = this.contracts.read(AgencyReports.REPORTS_CONTRACT, body, AgencyReports.Report.class);
		}
		catch (ContractViolation violation) {
			count(agencyId, "contract");
			log.warn("{} reported a status for {} that breaks the contract, skipped: {}", agencyId, delivery.id(),
					violation.getMessage());
			return Mono.empty();
		}
		return this.reports.accept(agencyId, report, "soap");
	}

	private void count(String agencyId, String result) {
		this.meters.counter("mpp.adapter.reports", "agency", agencyId, "via", "soap", "result", result).increment();
	}

}
