package id.mppdigital.defaults.events;

/**
 * A record that does not fit its topic's contract (not JSON, a required field missing, a wrong type,
 * headers not of the topic's producer) or breaks a promise the contract makes (a published version
 * that arrives again with other content). Retrying cannot fix it, so it goes to the dead-letter topic
 * at once, with this message as the reason.
 */
public class ContractViolation extends RuntimeException {

	public ContractViolation(String message) {
		super(message);
	}

}
