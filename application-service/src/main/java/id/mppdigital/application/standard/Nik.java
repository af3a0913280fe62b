package id.mppdigital.application.standard;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The structure of a Nomor Induk Kependudukan (NIK), as Dukcapil assigns it: 16 digits,
 * {@code PP KK CC DDMMYY SSSS} — province, regency or city, district, birth date (women's day plus
 * 40), serial. A form that only matches {@code [0-9]{16}} can still carry a NIK no citizen has; this
 * says which part is wrong, so the citizen can fix it before it reaches an agency.
 * <p>
 * The two-digit year is read as the most recent year that is not after today (a NIK is issued to
 * the living: {@code 010126} on 2 December 2026 is 1 January 2026, {@code 311226} is 31 December
 * 1926); so a birth date is never in the future.
 */
final class Nik {

	private static final Pattern DIGITS = Pattern.compile("[0-9]{16}");

	/**
	 * The province codes of Kemendagri's list (Permendagri 58/2021 and the 2022 Papua provinces):
	 * code → name, for the error message.
	 */
	static final Map<String, String> PROVINCES = Map.ofEntries(Map.entry("11", "Aceh"),
			Map.entry("12", "Sumatera Utara"), Map.entry("13", "Sumatera Barat"), Map.entry("14", "Riau"),
			Map.entry("15", "Jambi"), Map.entry("16", "Sumatera Selatan"), Map.entry("17", "Bengkulu"),
			Map.entry("18", "Lampung"), Map.entry("19", "Kepulauan Bangka Belitung"), Map.entry("21", "Kepulauan Riau"),
			Map.entry("31", "DKI Jakarta"), Map.entry("32", "Jawa Barat"), Map.entry("33", "Jawa Tengah"),
			Map.entry("34", "DI Yogyakarta"), Map.entry("35", "Jawa Timur"), Map.entry("36", "Banten"),
			Map.entry("51", "Bali"), Map.entry("52", "Nusa Tenggara Barat"), Map.entry("53", "Nusa Tenggara Timur"),
			Map.entry("61", "Kalimantan Barat"), Map.entry("62", "Kalimantan Tengah"),
			Map.entry("63", "Kalimantan Selatan"), Map.entry("64", "Kalimantan Timur"),
			Map.entry("65", "Kalimantan Utara"), Map.entry("71", "Sulawesi Utara"), Map.entry("72", "Sulawesi Tengah"),
			Map.entry("73", "Sulawesi Selatan"), Map.entry("74", "Sulawesi Tenggara"), Map.entry("75", "Gorontalo"),
			Map.entry("76", "Sulawesi Barat"), Map.entry("81", "Maluku"), Map.entry("82", "Maluku Utara"),
			Map.entry("91", "Papua"), Map.entry("92", "Papua Barat"), Map.entry("93", "Papua Selatan"),
			Map.entry("94", "Papua Tengah"), Map.entry("95", "Papua Pegunungan"), Map.entry("96", "Papua Barat Daya"));

	private Nik() {
	}

	/** What is wrong with {@code value} as a NIK, in one sentence naming the part; empty when it is a possible NIK. */
	static Optional<String> problem(String value, LocalDate today) {
		if (value == null || !DIGITS.matcher(value).matches()) {
			return Optional.of("a NIK is 16 digits");
		}
		String province = value.substring(0, 2);
		if (!PROVINCES.containsKey(province)) {
			return Optional.of("digits 1-2 (" + province + ") are no province code");
		}
		if (value.startsWith("00", 2)) {
			return Optional.of("digits 3-4 (regency or city) are 00");
		}
		if (value.startsWith("00", 4)) {
			return Optional.of("digits 5-6 (district) are 00");
		}
		int day = Integer.parseInt(value.substring(6, 8));
		int month = Integer.parseInt(value.substring(8, 10));
		int year = Integer.parseInt(value.substring(10, 12));
		String date = value.substring(6, 12);
		int dayOfMonth = day > 40 ? day - 40 : day;
		if (dayOfMonth < 1 || dayOfMonth > 31) {
			return Optional.of("digits 7-12 (" + date + ") are no birth date: the day is 01-31, or 41-71 for women");
		}
		if (month < 1 || month > 12) {
			return Optional.of("digits 7-12 (" + date + ") are no birth date: the month is " + value.substring(8, 10));
		}
		if (birthDate(dayOfMonth, month, year, today).isEmpty()) {
			return Optional.of("digits 7-12 (" + date + ") are no birth date: day " + dayOfMonth + " of month " + month
					+ " does not exist in 19" + value.substring(10, 12) + " or 20" + value.substring(10, 12));
		}
		if (value.endsWith("0000")) {
			return Optional.of("digits 13-16 (serial) are 0000");
		}
		return Optional.empty();
	}

	/** The birth date, in the most recent century that puts it on or before today (29 February needs a leap year). */
	static Optional<LocalDate> birthDate(int day, int month, int twoDigitYear, LocalDate today) {
		for (int century = today.getYear() / 100 * 100; century >= today.getYear() / 100 * 100 - 100; century -= 100) {
			try {
				LocalDate date = LocalDate.of(century + twoDigitYear, month, day);
				if (!date.isAfter(today)) {
					return Optional.of(date);
				}
			}
			catch (DateTimeException impossible) {
				// 29 February of a year that is not a leap year: try the century before
			}
		}
		return Optional.empty();
	}

}
