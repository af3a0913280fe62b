package id.mppdigital.application.applications;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import id.mppdigital.defaults.MppTime;

import org.springframework.stereotype.Component;

/**
 * The numbers a citizen is given: tracking numbers that read well at a counter
 * ({@code PMH-261128-7KQ2XDMA}: the day in WIB, eight characters without 0/O, 1/I) and the
 * verification code of a receipt (80 random bits in the same alphabet).
 */
@Component
class TrackingNumbers {

	private static final char[] ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	TrackingNumbers(Clock clock) {
		this.clock = clock;
	}

	String newTrackingNumber() {
		return "PMH-" + MppTime.nationalToday(this.clock).format(DAY) + "-" + randomChars(8);
	}

	/** Four groups of four characters of the tracking-number alphabet: 80 random bits. */
	String newReceiptCode() {
		return String.join("-", randomChars(4), randomChars(4), randomChars(4), randomChars(4));
	}

	/** Whether the code a holder offers is the receipt's (in constant time, case and spaces aside). */
	static boolean sameReceiptCode(String stored, String offered) {
		return stored != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
				offered.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
	}

	private String randomChars(int count) {
		StringBuilder chars = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			chars.append(ALPHABET[this.random.nextInt(ALPHABET.length)]);
		}
		return chars.toString();
	}

}
