package id.mppdigital.defaults.events;

/**
 * A record that does not fit its topic's contract (not JSON, a required field missing, a wrong type).
 * Retrying cannot fix it, so it goes to the dead-letter topic at once, with this message as the reason.
 */
public class ContractViolation extends RuntimeException {

	ContractViolation(String message) {
		super(message);
	}

}
