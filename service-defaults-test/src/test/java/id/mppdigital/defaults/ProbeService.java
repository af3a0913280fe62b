package id.mppdigital.defaults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A service built on the starter alone: no configuration of its own but its name, one consumer
 * that reads the probe topic's contract and can be told to fail.
 */
@SpringBootApplication
public class ProbeService {

	static final String TOPIC = "mpp.test.probe.v1";

	/** What the consumer reads of the contract. */
	record Probe(String eventId, int count) {
	}

	final List<Probe> taken = new CopyOnWriteArrayList<>();

	/** The next deliveries of an event with this count fail, as a store outage would. */
	final AtomicInteger failingCount = new AtomicInteger(-1);

	final AtomicInteger deliveries = new AtomicInteger();

	private final Contracts contracts;

	ProbeService(Contracts contracts) {
		this.contracts = contracts;
	}

	/** A topic nobody has created yet when the service starts (its producer comes later). */
	static final String LATE_TOPIC = "mpp.test.late.v1";

	final List<String> late = new CopyOnWriteArrayList<>();

	@KafkaListener(topics = LATE_TOPIC, groupId = "probe-service-late")
	void late(ConsumerRecord<String, String> record) {
		this.late.add(record.value());
	}

	/** The probe service produces its topic too, and declares it as producers do. */
	@Bean
	NewTopic probeTopic() {
		return new NewTopic(TOPIC, 1, (short) 1);
	}

	@KafkaListener(topics = TOPIC, groupId = "probe-service")
	void probe(ConsumerRecord<String, String> record) {
		Probe probe = this.contracts.read(record, Probe.class);
		this.deliveries.incrementAndGet();
		if (probe.count() == this.failingCount.get()) {
			throw new IllegalStateException("the store is down");
		}
		this.taken.add(probe);
	}

}
