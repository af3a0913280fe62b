package id.mppdigital.queue.tickets;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import id.mppdigital.queue.site.Site;
import id.mppdigital.queue.site.Sites;
import id.mppdigital.queue.tickets.Ticket.Kind;
import id.mppdigital.queue.tickets.Ticket.State;
import id.mppdigital.queue.tickets.Ticket.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What operators see of the queues (Prometheus, Grafana's queue panels), per MPP and queue:
 * <ul>
 * <li>{@code mpp_queue_waiting_time_seconds} — from issue to the first call, a histogram;</li>
 * <li>{@code mpp_queue_service_time_seconds} — from the start of a service to its end, a histogram;</li>
 * <li>{@code mpp_queue_tickets_total{outcome}} — tickets issued, served, no-show, cancelled;</li>
 * <li>{@code mpp_queue_length} — tickets waiting in the queue's line today, counted from the store
 * every {@code mpp.queue.length-interval} (so every instance reports the same figure).</li>
 * </ul>
 */
@Component
class QueueMetrics {

	private final MeterRegistry meters;

	private final Lines lines;

	private final Sites sites;

	private final Clock clock;

	private final MultiGauge lengths;

	QueueMetrics(MeterRegistry meters, Lines lines, Sites sites, Clock clock) {
		this.meters = meters;
		this.lines = lines;
		this.sites = sites;
		this.clock = clock;
		this.lengths = MultiGauge.builder("mpp.queue.length")
			.description("Tickets waiting in the queue's line now")
			.register(meters);
	}

	void issued(Ticket ticket) {
		count(Tags.of("mpp", ticket.mppId(), "queue", ticket.queue()), "issued");
	}

	/** After a ticket was moved by {@code step} from {@code before}. */
	void moved(Ticket before, Step step) {
		Tags tags = Tags.of("mpp", before.mppId(), "queue", before.queue());
		if (step.state() == State.CALLED && before.state() == State.WAITING && before.calledAt() == null) {
			Timer.builder("mpp.queue.waiting.time")
				.description("From a ticket's issue to its first call")
				.tags(tags)
				.publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofSeconds(30))
				.maximumExpectedValue(Duration.ofHours(6))
				.register(this.meters)
				.record(Duration.between(before.issuedAt(), step.at()));
		}
		if (step.state() == State.DONE && before.servingAt() != null) {
			Timer.builder("mpp.queue.service.time")
				.description("From the start of a service at the counter to its end")
				.tags(tags)
				.publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofSeconds(30))
				.maximumExpectedValue(Duration.ofHours(2))
				.register(this.meters)
				.record(Duration.between(before.servingAt(), step.at()));
		}
		if (step.state() == State.DONE || step.state() == State.NO_SHOW || step.state() == State.CANCELLED) {
			count(tags, step.state() == State.DONE ? "served" : step.state().name().toLowerCase(Locale.ROOT));
		}
	}

	private void count(Tags tags, String outcome) {
		Counter.builder("mpp.queue.tickets")
			.description("Tickets issued, served, no-show and cancelled")
			.tags(tags.and("outcome", outcome))
			.register(this.meters)
			.increment();
	}

	@Scheduled(fixedDelayString = "${mpp.queue.length-interval:30s}", initialDelayString = "${mpp.queue.length-interval:30s}")
	Mono<Void> countLengths() {
		return Flux.fromIterable(this.sites.known())
			.concatMap(site -> {
				LocalDate day = site.dayAt(this.clock.instant());
				List<String> queues = site.offerings().stream().map(Site.Offering::queuePrefix).distinct().toList();
				return Flux.fromIterable(queues).concatMap(queue -> waiting(site.mppId(), day, queue)
					.map(waiting -> MultiGauge.Row.of(Tags.of("mpp", site.mppId(), "queue", queue), waiting)));
			})
			.collectList()
			.doOnNext(rows -> this.lengths.register(new ArrayList<>(rows), true))
			.then();
	}

	private Mono<Long> waiting(String mppId, LocalDate day, String queue) {
		return this.lines.line(mppId, day, queue).count();
	}

}
