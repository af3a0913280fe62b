package id.mppdigital.catalog.mpp;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Demo data for the local stack: some of the MPPs launched together with Kota Probolinggo, one per
 * time zone. Saved by id, so restarting the stack neither duplicates nor overwrites edits.
 */
@Component
@Profile("local")
class DemoMpps implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DemoMpps.class);

	static final List<Mpp> MPPS = List.of(
			new Mpp("kota-probolinggo", "MPP Kota Probolinggo", "35.74", "Jawa Timur", "Asia/Jakarta",
					"Jl. Panglima Sudirman No. 19, Kota Probolinggo"),
			new Mpp("kota-surabaya", "MPP Kota Surabaya", "35.78", "Jawa Timur", "Asia/Jakarta",
					"Gedung Siola, Jl. Tunjungan No. 1-3, Surabaya"),
			new Mpp("kabupaten-badung", "MPP Kabupaten Badung", "51.03", "Bali", "Asia/Makassar",
					"Pusat Pemerintahan Mangupraja Mandala, Mangupura"),
			new Mpp("kota-makassar", "MPP Kota Makassar", "73.71", "Sulawesi Selatan", "Asia/Makassar",
					"Jl. Jend. Ahmad Yani No. 2, Makassar"),
			new Mpp("kota-jayapura", "MPP Kota Jayapura", "94.71", "Papua", "Asia/Jayapura",
					"Jl. Balai Kota No. 1, Entrop, Jayapura"));

	private final MppRepository mpps;

	DemoMpps(MppRepository mpps) {
		this.mpps = mpps;
	}

	@Override
	public void run(ApplicationArguments args) {
		Long added = Flux.fromIterable(MPPS)
			.filterWhen(mpp -> this.mpps.existsById(mpp.id()).map(exists -> !exists))
			.concatMap(this.mpps::save)
			.count()
			.block();
		logger.info("Demo data: " + added + " MPPs added, " + (MPPS.size() - added) + " already present");
	}

}
