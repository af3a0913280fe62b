package id.mppdigital.application.applications;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import id.mppdigital.application.applications.Application.State;
import id.mppdigital.defaults.MppTime;
import id.mppdigital.defaults.jobs.SerialJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applications past their due date and not decided yet, per agency: {@code mpp_applications_overdue{agency}}
 * for operators (and the Grafana dashboard), recounted every minute. "Today" is the WIB date, so at
 * WITA and WIT MPPs an application turns overdue one or two hours late.
 */
@Component
class Overdue {

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final MultiGauge gauge;

	private final SerialJob recount = new SerialJob("Counting overdue applications", this::count);

	Overdue(ReactiveMongoTemplate mongo, Clock clock, MeterRegistry meters) {
		this.mongo = mongo;
		this.clock = clock;
		this.gauge = MultiGauge.builder("mpp.applications.overdue")
			.description("Applications past their due date and not decided yet")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${mpp.application.overdue-recount:60s}", initialDelayString = "5s")
	Mono<Void> recount() {
		return this.recount.run();
	}

	private Mono<Void> count() {
		LocalDate today = MppTime.nationalToday(this.clock);
		// the agency's clock runs while the application is with it; it stops while the citizen revises
		Query open = Query.query(Criteria.where("state")
			.in(State.SUBMITTED, State.RECEIVED, State.IN_PROCESS, State.APPROVED)
			.and("dueDate").lt(today));
		return this.mongo.find(open, Application.class)
			.collect(Collectors.groupingBy(Application::agencyId, Collectors.counting()))
			.doOnNext(this::publish)
			.then();
	}

	private void publish(Map<String, Long> byAgency) {
		List<MultiGauge.Row<?>> rows = byAgency.entrySet()
			.stream()
			.<MultiGauge.Row<?>>map(entry -> MultiGauge.Row.of(Tags.of("agency", entry.getKey()), entry.getValue()))
			.toList();
		// agencies with nothing overdue any more drop out (overwrite), instead of keeping their last count
		this.gauge.register(rows, true);
	}

}
