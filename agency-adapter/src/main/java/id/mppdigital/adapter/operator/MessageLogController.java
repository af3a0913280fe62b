package id.mppdigital.adapter.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.adapter.messagelog.Export;
import id.mppdigital.adapter.messagelog.MessageLog;
import id.mppdigital.problems.Problems;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed message log for operators (role {@code operator}): a period's entries with their seals,
 * to hand to whoever must check what was exchanged with an agency; and the public key, for anyone,
 * to verify such an export with.
 */
@RestController
class MessageLogController {

	/** A period longer than this is exported in parts. */
	static final Duration LONGEST = Duration.ofDays(31);

	private final MessageLog messageLog;

	MessageLogController(MessageLog messageLog) {
		this.messageLog = messageLog;
	}

	@GetMapping("/message-log")
	@Allowed({ Caller.OPERATOR })
	Mono<Export> export(Caller caller, @RequestParam Instant from, @RequestParam Instant to) {
		if (!from.isBefore(to) || Duration.between(from, to).compareTo(LONGEST) > 0) {
			return Mono.error(Problems.invalid("to", "must be after from, at most " + LONGEST.toDays() + " days apart"));
		}
		return this.messageLog.export(from, to);
	}

	@GetMapping("/message-log/public-key")
	Map<String, String> publicKey() {
		return Map.of("algorithm", "Ed25519", "format", "X.509 SubjectPublicKeyInfo, Base64", "key",
				this.messageLog.publicKey());
	}

}
