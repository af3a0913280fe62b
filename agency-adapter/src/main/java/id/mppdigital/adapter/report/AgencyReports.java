package id.mppdigital.adapter.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.mppdigital.adapter.agency.AgencyProperties;
import id.mppdigital.adapter.delivery.Deliveries;
import id.mppdigital.adapter.messagelog.MessageLog;
import id.mppdigital.defaults.events.ContractViolation;
import id.mppdigital.defaults.events.Contracts;
import id.mppdigital.defaults.webhooks.WebhookSignatures;
import id.mppdigital.outbox.OutboxEvent;
import id.mppdigital.problems.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * What agencies report about their applications, whichever way it comes, checked before the
 * platform believes it, then handed to application-service as {@code mpp.agency.report-accepted.v1}:
 * <ul>
 * <li>it comes from the agency: a webhook call signed with the agency's secret (HMAC-SHA256 over
 * {@code "<timestamp>.<body>"}), made within five minutes of now, and never seen before (a replayed
 * call is refused even with a valid signature);</li>
 * <li>it fits the contract ({@code mpp.agency.reports.v1});</li>
 * <li>it is about an application this adapter delivered to that agency: the agency is where the
 * report came from, never a field in it.</li>
 * </ul>
 * The agency gets its answer once Kafka has the accepted report (else 503: it tries again; the report
 * id makes a repeat harmless).
 */
@Component
class AgencyReports {

	static final String ACCEPTED = "mpp.agency.report-accepted.v1";

	static final String REPORTS_CONTRACT = "mpp.agency.reports.v1";

	/** How far a signed call's time may be from ours. */
	static final Duration TOLERANCE = WebhookSignatures.TOLERANCE;

	/** An agency's report (contracts/events/mpp.agency.reports.v1.schema.json). */
	record Report(String reportId, String applicationId, String status, Instant at, Integer sequence,
			String agencyReference, String note, String reason, List<Fix> revision, String collection) {

		record Fix(String field, String message) {
		}

	}

	/** The accepted report (contracts/events/mpp.agency.report-accepted.v1.schema.json). */
	record Accepted(String eventId, String reportId, String applicationId, String agencyId, String status, Instant at,
			Integer sequence, String agencyReference, String note, String reason, List<Report.Fix> revision,
			String collection, String via) {
	}

	private final AgencyProperties properties;

	private final Deliveries deliveries;

	private final MessageLog messageLog;

	private final Contracts contracts;

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Duration sendTimeout;

	/** Signatures seen within the tolerance: a replayed call carries one of them. */
	private final Cache<String, Boolean> seen = Caffeine.newBuilder()
		.maximumSize(1_000_000)
		.expireAfterWrite(TOLERANCE.multipliedBy(2))
		.build();

	AgencyReports(AgencyProperties properties, Deliveries deliveries, MessageLog messageLog, Contracts contracts,
			KafkaTemplate<String, String> kafka, JsonMapper json, MeterRegistry meters, Clock clock,
			@Value("${mpp.adapter.report-send-timeout:5s}") Duration sendTimeout) {
		this.properties = properties;
		this.deliveries = deliveries;
		this.messageLog = messageLog;
		this.contracts = contracts;
		this.kafka = kafka;
		this.json = json;
		this.meters = meters;
		this.clock = clock;
		this.sendTimeout = sendTimeout;
	}

	/** A webhook call from an agency's system: its timestamp and signature headers and its body as sent. */
	Mono<Void> webhook(String agencyId, String timestamp, String signature, String body) {
		AgencyProperties.Agency agency = this.properties.agency(agencyId);
		if (agency == null || agency.webhookSecret() == null || agency.webhookSecret().isBlank()) {
			return Mono.error(Problems.notFound("No agency '" + agencyId + "' reports to this adapter."));
		}
		if (!WebhookSignatures.signedNow(agency.webhookSecret(), timestamp, signature, body, this.clock.instant())) {
			return Mono.error(refused(agencyId, "rest", "unsigned", HttpStatus.UNAUTHORIZED, "unauthorized",
					"The call is not signed with this agency's secret within " + TOLERANCE.toMinutes()
							+ " minutes of now (X-MPP-Timestamp, X-MPP-Signature: v1=<HMAC-SHA256 of \"<timestamp>.<body>\">)."));
		}
		if (this.seen.asMap().putIfAbsent(signature, Boolean.TRUE) != null) {
			return Mono.error(refused(agencyId, "rest", "replayed", HttpStatus.CONFLICT, "conflict",
					"This call was received before; a new report is a new call with its own timestamp."));
		}
		Report report;
		try {
			report = this.contracts.read(REPORTS_CONTRACT, body, Report.class);
		}
		catch (ContractViolation violation) {
			this.seen.invalidate(signature);
			return Mono.error(refused(agencyId, "rest", "contract", HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable",
					"The report " + violation.getMessage()));
		}
		return accept(agencyId, report, "rest").onErrorResume(failure -> {
			this.seen.invalidate(signature);
			return Mono.error(failure);
		});
	}

	/** Checks the application is this agency's, then hands the report on. */
	Mono<Void> accept(String agencyId, Report report, String via) {
		return this.deliveries.agencyOf(report.applicationId())
			.filter(agencyId::equals)
			.switchIfEmpty(Mono.error(() -> refused(agencyId, via, "foreign", HttpStatus.UNPROCESSABLE_CONTENT,
					"unprocessable", "Application " + report.applicationId() + " was not delivered to agency "
							+ agencyId + " by this adapter.")))
			.flatMap(owner -> {
				String eventId = agencyId + ":" + report.reportId();
				Accepted accepted = new Accepted(eventId, report.reportId(), report.applicationId(), agencyId,
						report.status(), report.at(), report.sequence(), report.agencyReference(), report.note(),
						report.reason(), report.revision() == null ? List.of() : report.revision(), report.collection(),
						via);
				OutboxEvent event = new OutboxEvent(ACCEPTED, report.applicationId(), eventId,
						"id.mppdigital.agency.report-accepted.v1", "/agency-adapter", this.clock.instant(),
						this.json.writeValueAsString(accepted));
				return Mono.fromFuture(() -> this.kafka.send(event.record()))
					.timeout(this.sendTimeout)
					.onErrorMap(failure -> unavailable())
					.doOnSuccess(sent -> this.meters
						.counter("mpp.adapter.reports", "agency", agencyId, "via", via, "result", "accepted")
						.increment())
					.then(this.messageLog.append(MessageLog.Direction.IN, agencyId, report.applicationId(), "report",
							event.json()));
			});
	}

	private ErrorResponseException refused(String agencyId, String via, String why, HttpStatus status, String kind,
			String detail) {
		this.meters.counter("mpp.adapter.reports", "agency", agencyId, "via", via, "result", why).increment();
		return Problems.of(status, kind, detail);
	}

	private static ErrorResponseException unavailable() {
		ErrorResponseException problem = Problems.unavailable("The report cannot be passed on right now; send it again shortly.");
		problem.getHeaders().set("Retry-After", "5");
		return problem;
	}

}
