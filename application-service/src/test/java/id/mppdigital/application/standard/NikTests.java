package id.mppdigital.application.standard;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NIK's structure, written from Dukcapil's rules (PP KK CC DDMMYY SSSS; women's day + 40; the
 * province list of Kemendagri), not from the code: each case says what a citizen typed and what they
 * are told. "Today" is fixed at 2 December 2026 for the century rule.
 */
class NikTests {

	static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

	@ParameterizedTest(name = "{0} is a possible NIK ({1})")
	@CsvSource(delimiter = '|', textBlock = """
			3513014107900001 | Probolinggo regency, woman born 1 July 1990
			3574010107900001 | Probolinggo city, man born 1 July 1990
			1101010101000001 | Aceh, born 1 January 2000
			9601012902000001 | Papua Barat Daya (2022), born 29 February 2000 (a leap year)
			3201017112250001 | a woman born 31 December 2025
			3201010112260001 | born 1 December 2026, yesterday's newborn
			3201010312269999 | 3 December 26 is tomorrow, so 1926: a centenarian
			3173050507859999 | Jakarta, the highest serial
			""")
	void valid(String nik, String whatItIs) {
		assertThat(Nik.problem(nik, TODAY)).as(whatItIs).isEmpty();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			351301410790001   | a NIK is 16 digits
			35130141079000011 | a NIK is 16 digits
			35130141079O0001  | a NIK is 16 digits
			0013014107900001  | digits 1-2 (00) are no province code
			2013014107900001  | digits 1-2 (20) are no province code
			9913014107900001  | digits 1-2 (99) are no province code
			3500014107900001  | digits 3-4 (regency or city) are 00
			3513004107900001  | digits 5-6 (district) are 00
			3513010007900001  | digits 7-12 (000790) are no birth date: the day is 01-31, or 41-71 for women
			3513013207900001  | digits 7-12 (320790) are no birth date: the day is 01-31, or 41-71 for women
			3513014007900001  | digits 7-12 (400790) are no birth date: the day is 01-31, or 41-71 for women
			3513017207900001  | digits 7-12 (720790) are no birth date: the day is 01-31, or 41-71 for women
			3513010113900001  | digits 7-12 (011390) are no birth date: the month is 13
			3513010100900001  | digits 7-12 (010090) are no birth date: the month is 00
			3513013102900001  | digits 7-12 (310290) are no birth date: day 31 of month 2 does not exist in 1990 or 2090
			3513017104900001  | digits 7-12 (710490) are no birth date: day 31 of month 4 does not exist in 1990 or 2090
			3513012902010001  | digits 7-12 (290201) are no birth date: day 29 of month 2 does not exist in 1901 or 2001
			3513014107900000  | digits 13-16 (serial) are 0000
			""")
	void invalid(String nik, String message) {
		assertThat(Nik.problem(nik, TODAY)).contains(message);
	}

}
