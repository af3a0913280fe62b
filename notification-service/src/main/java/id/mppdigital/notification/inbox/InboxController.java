package id.mppdigital.notification.inbox;

import java.util.List;
import java.util.Locale;

import id.mppdigital.access.Allowed;
import id.mppdigital.access.Caller;
import id.mppdigital.defaults.Paging;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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

	private final Inbox inbox;

	InboxController(Inbox inbox) {
		this.inbox = inbox;
	}

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

	@PostMapping("/inbox/{id}/read")
	@Allowed({ Caller.CITIZEN })
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> read(Caller caller, @PathVariable String id) {
		return this.inbox.markRead(caller, id);
	}

}
