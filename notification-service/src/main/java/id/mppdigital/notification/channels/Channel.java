package id.mppdigital.notification.channels;

/** Where a citizen can be told something, besides the in-app inbox (which every citizen has). */
public enum Channel {

	/** Over SMTP, to an address the citizen verified. */
	EMAIL,
	/** Through an SMS provider's HTTP API, to a verified phone number. */
	SMS,
	/** Through a WhatsApp provider's HTTP API, to a verified phone number. */
	WHATSAPP

}
