package id.mppdigital.adapter.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One status an agency gave an application, in the platform's terms, as a connector read it from
 * the agency's own answer (a SOAP status, a result file's row).
 *
 * @param sequence the agency's running number of statuses for the application
 * @param status RECEIVED, IN_PROCESS, NEEDS_REVISION, APPROVED, REJECTED or COMPLETED
 */
public record AgencyStatus(int sequence, String status, Instant at, String agencyReference, String note,
		String reason, List<Fix> revision, String collection) {

	public AgencyStatus {
		revision = (revision == null) ? List.of() : List.copyOf(revision);
	}

	/**
	 * The status codes the legacy agency systems use (the SKCK SOAP service, the file agencies'
	 * result files) in the platform's terms.
	 */
	private static final Map<String, String> LEGACY_CODES = Map.of("DITERIMA", "RECEIVED", "DIPROSES", "IN_PROCESS",
			"PERBAIKAN", "NEEDS_REVISION", "DISETUJUI", "APPROVED", "DITOLAK", "REJECTED", "SELESAI", "COMPLETED");

	/** A legacy system's status code as the platform's status; null if it is not one. */
	public static String fromLegacyCode(String code) {
		return LEGACY_CODES.get(code);
	}

	/** What the citizen must fix (NEEDS_REVISION). */
	public record Fix(String field, String message) {
	}

	/** Whether nothing follows it (the agency decided against it, or issued the product). */
	public boolean last() {
		return "REJECTED".equals(this.status) || "COMPLETED".equals(this.status);
	}

}
