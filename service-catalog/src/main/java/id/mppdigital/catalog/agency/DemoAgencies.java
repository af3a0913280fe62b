package id.mppdigital.catalog.agency;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * DEMONSTRATION data for the local stack: agencies found at Indonesian MPPs. Saved by id when
 * missing, so restarts neither duplicate nor overwrite edits. Contacts are the agencies' public
 * channels as commonly published; check them before relying on them.
 */
@Component
@Profile("local")
@Order(1)
public class DemoAgencies implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DemoAgencies.class);

	static Agency agency(String id, String name, Agency.Kind kind, Agency.Integration integration, String website) {
		return new Agency(id, name, kind, integration, new Agency.Contact(null, null, website));
	}

	static final List<Agency> AGENCIES = List.of(
			agency("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", Agency.Kind.REGIONAL_OFFICE,
					Agency.Integration.ADAPTER, "https://dukcapil.kemendagri.go.id"),
			agency("polri", "Kepolisian Negara Republik Indonesia (Satpas SIM)", Agency.Kind.CENTRAL_MINISTRY_OFFICE,
					Agency.Integration.ADAPTER, "https://korlantas.polri.go.id"),
			agency("imigrasi", "Kantor Imigrasi (Direktorat Jenderal Imigrasi)", Agency.Kind.CENTRAL_MINISTRY_OFFICE,
					Agency.Integration.ADAPTER, "https://www.imigrasi.go.id"),
			agency("bpn", "Kantor Pertanahan (Kementerian ATR/BPN)", Agency.Kind.CENTRAL_MINISTRY_OFFICE,
					Agency.Integration.ADAPTER, "https://www.atrbpn.go.id"),
			agency("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", Agency.Kind.REGIONAL_OFFICE,
					Agency.Integration.DIRECT_KAFKA, "https://oss.go.id"),
			agency("samsat", "Samsat (Bapenda Provinsi, Polri, Jasa Raharja)", Agency.Kind.REGIONAL_OFFICE,
					Agency.Integration.ADAPTER, "https://www.samsat.info"),
			agency("bpjs-kesehatan", "BPJS Kesehatan", Agency.Kind.STATE_OWNED_COMPANY, Agency.Integration.ADAPTER,
					"https://www.bpjs-kesehatan.go.id"),
			agency("bpjs-ketenagakerjaan", "BPJS Ketenagakerjaan", Agency.Kind.STATE_OWNED_COMPANY,
					Agency.Integration.ADAPTER, "https://www.bpjsketenagakerjaan.go.id"),
			agency("kemenag", "Kantor Urusan Agama (Kementerian Agama)", Agency.Kind.CENTRAL_MINISTRY_OFFICE,
					Agency.Integration.OFFICERS_ONLY, "https://kemenag.go.id"),
			agency("bapenda", "Badan Pendapatan Daerah", Agency.Kind.REGIONAL_OFFICE, Agency.Integration.OFFICERS_ONLY,
					null),
			agency("pln", "PT PLN (Persero)", Agency.Kind.STATE_OWNED_COMPANY, Agency.Integration.ADAPTER,
					"https://web.pln.co.id"),
			agency("dinkes", "Dinas Kesehatan", Agency.Kind.REGIONAL_OFFICE, Agency.Integration.OFFICERS_ONLY, null));

	private final AgencyRepository agencies;

	DemoAgencies(AgencyRepository agencies) {
		this.agencies = agencies;
	}

	@Override
	public void run(ApplicationArguments args) {
		Long added = Flux.fromIterable(AGENCIES)
			.filterWhen(agency -> this.agencies.existsById(agency.id()).map(exists -> !exists))
			.concatMap(this.agencies::save)
			.count()
			.block();
		logger.info("Demo data (demonstration only): " + added + " agencies added, " + (AGENCIES.size() - added)
				+ " already present");
	}

}
