package id.mppdigital.application.applications;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import id.mppdigital.application.applications.Application.Revision;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.access.Caller;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Agencies' reports, as the agency adapter accepted them ({@code mpp.agency.report-accepted.v1}),
 * applied through the same rules as a change over the API ({@link Reports}). A report for an
 * application that does not exist or is another agency's, or a move the lifecycle does not allow,
 * goes to {@code mpp.agency.report-accepted.v1.DLT} with the reason, and the next one flows; one that
 * could not be written now (the store is down) is retried, in order.
 */
@Component
class AgencyReports {

	static final String TOPIC = "mpp.agency.report-accepted.v1";

	/** What this service reads of the adapter's event (contracts/events/mpp.agency.report-accepted.v1.schema.json). */
	record ReportAccepted(String eventId, String reportId, String applicationId, String agencyId, State status,
			Instant at, Integer sequence, String agencyReference, String note, String reason, List<Revision> revision,
			String collection, String via) {
	}

	private final Contracts contracts;

	private final Reports reports;

	AgencyReports(Contracts contracts, Reports reports) {
		this.contracts = contracts;
		this.reports = reports;
	}

	// a consumer per partition: keyed by application, each application's events stay in order
	@KafkaListener(topics = TOPIC, groupId = "application-service-reports", concurrency = "${mpp.kafka.partitions:3}")
	void accepted(ConsumerRecord<String, String> record) {
		ReportAccepted accepted = this.contracts.read(record, ReportAccepted.class);
		if (!accepted.eventId().equals(accepted.agencyId() + ":" + accepted.reportId())) {
			throw new ContractViolation("eventId " + accepted.eventId() + " is not <agencyId>:<reportId>");
		}
		Reports.Report report = new Reports.Report(accepted.agencyId() + ":" + accepted.reportId(),
				accepted.applicationId(), accepted.agencyId(), accepted.status(), accepted.at(), accepted.sequence(),
				"agency:" + accepted.agencyId(), Caller.AGENCY_SYSTEM, accepted.note(), accepted.agencyReference(),
				accepted.reason(), accepted.revision(), accepted.collection(), accepted.via());
		try {
			// the consumer thread waits: one application's reports stay in order (keyed by application)
			this.reports.apply(report).block(Duration.ofSeconds(10));
		}
		catch (Reports.Refused refused) {
			throw new ContractViolation("report " + accepted.eventId() + " refused: " + refused.getMessage());
		}
	}

}
