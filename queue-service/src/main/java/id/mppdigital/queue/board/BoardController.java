package id.mppdigital.queue.board;

import java.time.Duration;

import id.mppdigital.defaults.Slug;
import id.mppdigital.problems.Problems;
import id.mppdigital.queue.site.Sites;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An MPP's live display board as Server-Sent Events, public (it shows numbers and counters, nobody's
 * name): every change in order, each with its {@code id}; a board that reconnects sends the last id
 * it saw ({@code Last-Event-ID}, or {@code ?lastEventId=} for a first connection) and gets what came
 * after it. A comment every {@code mpp.queue.board-heartbeat} keeps proxies from closing a quiet
 * stream.
 */
@RestController
class BoardController {

	private final Board board;

	private final Sites sites;

	private final Duration heartbeat;

	BoardController(Board board, Sites sites, @Value("${mpp.queue.board-heartbeat:15s}") Duration heartbeat) {
		this.board = board;
		this.sites = sites;
		this.heartbeat = heartbeat;
	}

	@Operation(summary = "Follow an MPP's display board (Server-Sent Events)")
	@GetMapping(path = "/mpps/{mpp}/board", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Board.Change>> board(
			@PathVariable @Size(max = Slug.MAX_LENGTH) @Pattern(regexp = Slug.PATTERN, message = Slug.MESSAGE) String mpp,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
			@RequestParam(name = "lastEventId", required = false) String lastEventIdParameter) {
		Long after = offset(lastEventId != null ? lastEventId : lastEventIdParameter);
		return this.sites.site(mpp).flatMapMany(site -> Board.heartbeats(
				this.board.stream(mpp, after).map(BoardController::event), this.heartbeat));
	}

	private static ServerSentEvent<Board.Change> event(Board.Entry entry) {
		if (entry == Board.RESET) {
			return ServerSentEvent.<Board.Change>builder().event("reset").comment("earlier changes are gone: redraw").build();
		}
		return ServerSentEvent.<Board.Change>builder(entry.change())
			.id(Long.toString(entry.offset()))
			.event(entry.change().state())
			.build();
	}

	private static Long offset(String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return null;
		}
		try {
			long offset = Long.parseLong(lastEventId.trim());
			if (offset >= 0) {
				return offset;
			}
		}
		catch (NumberFormatException notANumber) {
			// below
		}
		throw Problems.invalid("Last-Event-ID", "is not an id this board sent");
	}

}
