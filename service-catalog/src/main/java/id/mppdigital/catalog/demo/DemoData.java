package id.mppdigital.catalog.demo;

import java.time.LocalDate;
import java.util.List;

import id.mppdigital.catalog.agency.Agency;
import id.mppdigital.catalog.calendar.Holiday;
import id.mppdigital.catalog.mpp.Mpp;

/**
 * DEMONSTRATION DATA for the local stack: real cities and regencies with MPPs (Kota Probolinggo and
 * fifteen others, across the three time zones), agencies found at Indonesian MPPs, and the 2026–2027
 * national holidays as commonly announced. Addresses, dates and contacts are plausible, not
 * checked: verify them before any real use. Service standards are in {@code demo/standards.json}.
 */
public final class DemoData {

	private DemoData() {
	}

	public static final List<Mpp> MPPS = List.of(
			mpp("kota-probolinggo", "MPP Kota Probolinggo", "35.74", "Jawa Timur", "Asia/Jakarta",
					"Jl. Panglima Sudirman No. 19, Kota Probolinggo"),
			mpp("kota-surabaya", "MPP Kota Surabaya", "35.78", "Jawa Timur", "Asia/Jakarta",
					"Gedung Siola, Jl. Tunjungan No. 1-3, Surabaya"),
			mpp("kota-malang", "MPP Kota Malang", "35.73", "Jawa Timur", "Asia/Jakarta",
					"Gedung Malang Creative Center, Jl. A. Yani, Malang"),
			mpp("kabupaten-banyuwangi", "MPP Kabupaten Banyuwangi", "35.10", "Jawa Timur", "Asia/Jakarta",
					"Jl. Jaksa Agung Suprapto, Banyuwangi"),
			mpp("kota-bandung", "MPP Kota Bandung", "32.73", "Jawa Barat", "Asia/Jakarta",
					"Jl. Cianjur No. 34, Bandung"),
			mpp("kota-semarang", "MPP Kota Semarang", "33.74", "Jawa Tengah", "Asia/Jakarta",
					"Jl. Pemuda No. 148, Semarang"),
			mpp("kota-yogyakarta", "MPP Kota Yogyakarta", "34.71", "DI Yogyakarta", "Asia/Jakarta",
					"Jl. Kenari No. 56, Yogyakarta"),
			mpp("kota-medan", "MPP Kota Medan", "12.71", "Sumatera Utara", "Asia/Jakarta",
					"Jl. Kapten Maulana Lubis No. 2, Medan"),
			mpp("kota-pekanbaru", "MPP Kota Pekanbaru", "14.71", "Riau", "Asia/Jakarta",
					"Jl. Jend. Sudirman No. 464, Pekanbaru"),
			mpp("kabupaten-badung", "MPP Kabupaten Badung", "51.03", "Bali", "Asia/Makassar",
					"Pusat Pemerintahan Mangupraja Mandala, Mangupura"),
			mpp("kota-denpasar", "MPP Kota Denpasar", "51.71", "Bali", "Asia/Makassar",
					"Jl. Majapahit No. 1, Denpasar"),
			mpp("kota-makassar", "MPP Kota Makassar", "73.71", "Sulawesi Selatan", "Asia/Makassar",
					"Jl. Jend. Ahmad Yani No. 2, Makassar"),
			mpp("kota-balikpapan", "MPP Kota Balikpapan", "64.71", "Kalimantan Timur", "Asia/Makassar",
					"Jl. Jend. Sudirman No. 1, Balikpapan"),
			mpp("kota-ambon", "MPP Kota Ambon", "81.71", "Maluku", "Asia/Jayapura",
					"Jl. Sultan Hairun, Ambon"),
			mpp("kota-sorong", "MPP Kota Sorong", "92.71", "Papua Barat Daya", "Asia/Jayapura",
					"Jl. Basuki Rahmat, Sorong"),
			mpp("kota-jayapura", "MPP Kota Jayapura", "94.71", "Papua", "Asia/Jayapura",
					"Jl. Balai Kota No. 1, Entrop, Jayapura"));

	public static final List<Agency> AGENCIES = List.of(
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
					Agency.Integration.ADAPTER, null),
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

	/** National holidays (hari libur nasional) by year, as commonly announced; check the joint decree. */
	public static final List<List<Holiday>> NATIONAL_HOLIDAYS = List.of(
			List.of(holiday("2026-01-01", "Tahun Baru 2026 Masehi"), holiday("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
					holiday("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
					holiday("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948"),
					holiday("2026-03-20", "Hari Raya Idul Fitri 1447 H"), holiday("2026-03-21", "Hari Raya Idul Fitri 1447 H"),
					holiday("2026-04-03", "Wafat Yesus Kristus"), holiday("2026-05-01", "Hari Buruh Internasional"),
					holiday("2026-05-14", "Kenaikan Yesus Kristus"), holiday("2026-05-27", "Hari Raya Idul Adha 1447 H"),
					holiday("2026-05-31", "Hari Raya Waisak 2570 BE"), holiday("2026-06-01", "Hari Lahir Pancasila"),
					holiday("2026-06-16", "Tahun Baru Islam 1448 H"),
					holiday("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
					holiday("2026-08-25", "Maulid Nabi Muhammad SAW"), holiday("2026-12-25", "Hari Raya Natal")),
			List.of(holiday("2027-01-01", "Tahun Baru 2027 Masehi"), holiday("2027-02-06", "Tahun Baru Imlek 2578 Kongzili"),
					holiday("2027-03-09", "Hari Raya Idul Fitri 1448 H"), holiday("2027-03-10", "Hari Raya Idul Fitri 1448 H"),
					holiday("2027-03-26", "Wafat Yesus Kristus"), holiday("2027-05-01", "Hari Buruh Internasional"),
					holiday("2027-05-06", "Kenaikan Yesus Kristus"), holiday("2027-05-16", "Hari Raya Idul Adha 1448 H"),
					holiday("2027-06-01", "Hari Lahir Pancasila"), holiday("2027-08-17", "Hari Kemerdekaan Republik Indonesia"),
					holiday("2027-12-25", "Hari Raya Natal")));

	private static Mpp mpp(String id, String name, String region, String province, String zone, String address) {
		return new Mpp(id, name, region, province, zone, address);
	}

	private static Agency agency(String id, String name, Agency.Kind kind, Agency.Integration integration,
			String website) {
		return new Agency(id, name, kind, integration, new Agency.Contact(null, null, website));
	}

	private static Holiday holiday(String date, String name) {
		return new Holiday(LocalDate.parse(date), name);
	}

}
