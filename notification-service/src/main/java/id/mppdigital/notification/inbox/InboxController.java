package id.mppdigital.notification.inbox;

import java.util.List;
import java.util.Locale;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Paging;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * A citizen's in-app inbox ({@code /api/notifications/inbox} through the gateway): their own
 * notifications only, newest first, in the language asked for ({@code Accept-Language}, id default).
 */
@RestController
class InboxController {

	private static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(15);

	private final Inbox inbox;

	private final InboxStream stream;

	InboxController(Inbox inbox, InboxStream stream) {
		this.inbox = inbox;
		this.stream = stream;
	}

	@Operation(summary = "Read your inbox, newest first")
	@GetMapping("/inbox")
	Mono<Inbox.Page> inbox(Caller caller, @RequestParam(defaultValue = "false") boolean unreadOnly,
			@RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(Paging.MAX_SIZE) int size,
			ServerWebExchange exchange) {
		List<Locale> asked = exchange.getRequest().getHeaders().getAcceptLanguageAsLocales();
		String language = !asked.isEmpty() && "en".equals(asked.get(0).getLanguage()) ? "en" : "id";
		exchange.getResponse().getHeaders().set(HttpHeaders.CONTENT_LANGUAGE, language);
		return this.inbox.page(caller, unreadOnly, page, size, language);
	}

	/**
	 * The caller's notifications live, as they come (Server-Sent Events, {@code id} = the notification's
	 * id, a comment every 15 s so that proxies keep it open); what came before is in {@code GET /inbox}.
	 */
	@Operation(summary = "Follow your inbox (Server-Sent Events)")
	@GetMapping(path = "/inbox/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Allowed({ Caller.CITIZEN })
	Flux<ServerSentEvent<Inbox.Message>> stream(Caller caller, ServerWebExchange exchange) {
		List<Locale> asked = exchange.getRequest().getHeaders().getAcceptLanguageAsLocales();
		String language = !asked.isEmpty() && "en".equals(asked.get(0).getLanguage()) ? "en" : "id";
		Flux<ServerSentEvent<Inbox.Message>> told = this.stream.follow(caller.subject())
			.map(notification -> ServerSentEvent.builder(Inbox.message(notification, language))
				.id(notification.id())
				.event("notification")
				.build());
		// one at once: the answer starts (headers sent) before the first message
		Flux<ServerSentEvent<Inbox.Message>> heartbeats = Flux.interval(java.time.Duration.ZERO, HEARTBEAT)
			.map(beat -> ServerSentEvent.<Inbox.Message>builder().comment("heartbeat").build());
		return Flux.merge(told, heartbeats);
	}

	@Operation(summary = "Mark a message read")
	@PostMapping("/inbox/{id}/read")
	@Allowed({ Caller.CITIZEN })
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> read(Caller caller, @PathVariable String id) {
		return this.inbox.markRead(caller, id);
	}

}
