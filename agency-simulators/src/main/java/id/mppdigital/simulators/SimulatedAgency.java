package id.mppdigital.simulators;

import java.time.Duration;

/**
 * One simulated agency: its back office behind the door it opens to the platform. What a test or
 * an operator changes and counts is the back office's; the door only decides how it is reached.
 */
public interface SimulatedAgency extends AutoCloseable {

	BackOffice office();

	default void mode(BackOffice.Mode mode) {
		office().mode(mode);
	}

	/** Whether applicants named {@code TOLAK} are refused (true until the agency fixed its side). */
	default void refusing(boolean refusing) {
		office().refusing(refusing);
	}

	/** How long each call takes in {@link BackOffice.Mode#SLOW}. */
	default void slowBy(Duration delay) {
		office().slowBy(delay);
	}

	/** Applications it took (each once, however often it was sent). */
	default int applications() {
		return office().applications();
	}

	/** Applications registered more than once: a delivery applied twice. */
	default long duplicates() {
		return office().duplicates();
	}

	/** Every delivery attempt that reached it, repeats included. */
	default long requests() {
		return office().requests();
	}

	default boolean received(String applicationId) {
		return office().received(applicationId);
	}

	@Override
	void close();

}
