package id.mppdigital.queue.tickets;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A counter as its officers work it today: open or closed, and the lines it calls from.
 *
 * @param id {@code <mpp>:<number>}
 * @param lines the queues of the services served there, and {@code @<number>} for tickets sent to it alone
 * @param officer who opened it
 */
@Document("desks")
record Desk(@Id String id, String mppId, int number, String agencyId, boolean open, String officer, Instant openedAt,
		List<String> lines) {
}
