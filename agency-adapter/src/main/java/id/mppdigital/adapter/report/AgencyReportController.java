package id.mppdigital.adapter.report;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook agencies with a REST system report to: {@code POST /agencies/{agencyId}/reports} with
 * one report (contracts/events/mpp.agency.reports.v1.schema.json), signed ({@link AgencyReports}).
 * Not behind the gateway and without a token: the agency's signature is its credential.
 */
@RestController
class AgencyReportController {

	private final AgencyReports reports;

	AgencyReportController(AgencyReports reports) {
		this.reports = reports;
	}

	@PostMapping(path = "/agencies/{agencyId}/reports", consumes = "application/json")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Void> report(@PathVariable String agencyId, @RequestHeader(name = "X-MPP-Timestamp", required = false) String timestamp,
			@RequestHeader(name = "X-MPP-Signature", required = false) String signature, @RequestBody String body) {
		return this.reports.webhook(agencyId, timestamp, signature, body);
	}

}
