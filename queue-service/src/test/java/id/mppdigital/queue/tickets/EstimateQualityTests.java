package id.mppdigital.queue.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import id.mppdigital.queue.QueueWebTests;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How good the estimated wait a citizen sees is, measured on a simulated day: walk-ins arrive at
 * random (on average every 2.9 minutes, so that the two are busy 95 % of the time and a line builds up from 08:00 to 14:00) for the one queue two counters serve, each
 * service takes a random time (log-normal, 5.5 minutes on average, most between 3 and 9), and the
 * officers call the next ticket as soon as they are free. Every ticket's estimate when it was issued is
 * compared with the wait it really had (issue to call). The service sees nothing of the simulation
 * but its requests and the clock. The numbers are printed and stated in the README.
 */
class EstimateQualityTests extends QueueWebTests {

	private static final double ARRIVAL_MINUTES = 2.9;

	private static final double SERVICE_SECONDS = 330;

	private static final double SERVICE_SIGMA = 0.45;

	/** One ticket: its estimate at issue (minutes, range) and its real wait in minutes. */
	private record Outcome(long estimate, long from, long to, double waited, Instant issuedAt) {
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEstimateAtIssueHoldsOnASimulatedDay() {
		Random random = new Random(20261207);
		Instant opens = Instant.parse("2026-12-07T01:00:00Z"); // 08:00 WIB
		List<Instant> arrivals = new ArrayList<>();
		for (Instant at = opens.plusSeconds(60); at.isBefore(opens.plus(Duration.ofHours(6)));
				at = at.plusSeconds(Math.round(-Math.log(1 - random.nextDouble()) * ARRIVAL_MINUTES * 60))) {
			arrivals.add(at);
		}
		String officer = dukcapil("o-simulated");
		time.set(opens);
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		desk(officer, MPP, 2, "open").expectStatus().isOk();

		Map<String, long[]> estimates = new java.util.HashMap<>();
		Map<String, Instant> issued = new java.util.HashMap<>();
		List<Outcome> outcomes = new ArrayList<>();
		Map<Integer, Instant> busyUntil = new TreeMap<>();
		int next = 0;
		while (next < arrivals.size() || !busyUntil.isEmpty()) {
			Instant finish = busyUntil.values().stream().min(Instant::compareTo).orElse(Instant.MAX);
			Instant arrival = next < arrivals.size() ? arrivals.get(next) : Instant.MAX;
			if (!finish.isAfter(arrival)) {
				time.set(finish);
				int counter = busyUntil.entrySet().stream().filter(entry -> entry.getValue().equals(finish)).findFirst()
					.orElseThrow().getKey();
				desk(officer, MPP, counter, "finish").expectStatus().isOk();
				busyUntil.remove(counter);
			}
			else {
				time.set(arrival);
				Map<String, Object> ticket = ticket(MPP, KTP);
				Map<String, Object> estimate = (Map<String, Object>) ticket.get("estimate");
				estimates.put((String) ticket.get("id"), new long[] { ((Number) estimate.get("minutes")).longValue(),
						((Number) estimate.get("fromMinutes")).longValue(), ((Number) estimate.get("toMinutes")).longValue() });
				issued.put((String) ticket.get("id"), arrival);
				next++;
			}
			for (int counter = 1; counter <= 2; counter++) {
				if (busyUntil.containsKey(counter)) {
					continue;
				}
				EntityExchangeResult<Map> call = desk(officer, MPP, counter, "call-next").expectBody(Map.class).returnResult();
				if (call.getStatus().value() != 200) {
					continue;
				}
				String id = (String) call.getResponseBody().get("id");
				long[] estimate = estimates.get(id);
				outcomes.add(new Outcome(estimate[0], estimate[1], estimate[2],
						Duration.between(issued.get(id), time.instant()).toSeconds() / 60.0, issued.get(id)));
				desk(officer, MPP, counter, "start").expectStatus().isOk();
				double seconds = Math.exp(Math.log(SERVICE_SECONDS) - SERVICE_SIGMA * SERVICE_SIGMA / 2
						+ SERVICE_SIGMA * random.nextGaussian());
				busyUntil.put(counter, time.instant().plusSeconds(Math.round(seconds)));
			}
		}

		assertThat(outcomes).hasSize(arrivals.size());
		// the first hour's estimates rest on the default service time; say so, and judge the rest
		Instant warm = opens.plus(Duration.ofHours(1));
		List<Outcome> judged = outcomes.stream().filter(outcome -> outcome.issuedAt().isAfter(warm)).toList();
		List<Double> errors = new ArrayList<>(judged.stream().map(o -> Math.abs(o.estimate() - o.waited())).toList());
		Collections.sort(errors);
		double median = errors.get(errors.size() / 2);
		double p90 = errors.get((int) (errors.size() * 0.9));
		double meanWait = judged.stream().mapToDouble(Outcome::waited).average().orElseThrow();
		double bias = judged.stream().mapToDouble(o -> o.estimate() - o.waited()).average().orElseThrow();
		long inRange = judged.stream()
			.filter(o -> o.waited() >= o.from() - 0.5 && o.waited() <= o.to() + 0.5)
			.count();
		double share = 100.0 * inRange / judged.size();
		double allInRange = 100.0 * outcomes.stream()
			.filter(o -> o.waited() >= o.from() - 0.5 && o.waited() <= o.to() + 0.5).count() / outcomes.size();
		System.out.printf(java.util.Locale.ROOT,
				"Estimate quality on a simulated day: %d tickets (%d after the first hour), mean wait %.1f min; "
						+ "after the first hour: median error %.1f min, 90th percentile %.1f min, bias %+.1f min, "
						+ "real wait within the range shown %.0f %% (all day %.0f %%)%n",
				outcomes.size(), judged.size(), meanWait, median, p90, bias, share, allInRange);
		assertThat(median).as("median error, minutes").isLessThanOrEqualTo(5);
		assertThat(share).as("real waits within the range shown, %").isGreaterThanOrEqualTo(60);
	}

}
