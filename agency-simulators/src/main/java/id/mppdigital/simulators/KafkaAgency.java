package id.mppdigital.simulators;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agency whose own system speaks Kafka, as the demo's PLN does: it reads its applications from
 * {@code mpp.agency.<id>.applications.v1} in its own consumer group ({@code agency-<id>-back-office}),
 * takes each once by its event id ({@code ce_id}: a repeat of the same event is not a second
 * application), and reports on its own {@code mpp.agency.<id>.reports.v1}, with CloudEvents headers
 * naming itself. On a secured broker it connects as its own principal ({@code agency-<id>}), which may
 * touch nothing else. Its offsets move only after an application was taken.
 */
public final class KafkaAgency implements SimulatedAgency {

	private static final Logger log = LoggerFactory.getLogger(KafkaAgency.class);

	private final BackOffice office;

	private final KafkaConsumer<String, String> consumer;

	private final KafkaProducer<String, String> producer;

	private final Thread poller;

	private final String reports;

	private final JsonMapper json = JsonMapper.builder().build();

	private volatile boolean running = true;

	private KafkaAgency(String agencyId, Map<String, Object> client, Duration reportDelay) {
		this.office = new BackOffice(agencyId, reportDelay);
		this.reports = "mpp.agency." + agencyId + ".reports.v1";
		Map<String, Object> consumer = new HashMap<>(client);
		consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "agency-" + agencyId + "-back-office");
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// its topic and grants may come after it started (the platform makes them from the catalog)
		consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
		this.consumer = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer());
		Map<String, Object> producer = new HashMap<>(client);
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		// an idempotent producer refused once (its grants come when the platform reads the catalog)
		// never recovers; one request in flight keeps an application's reports in order instead
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
		producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
		this.producer = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer());
		this.poller = new Thread(() -> poll("mpp.agency." + agencyId + ".applications.v1"), agencyId + "-kafka-back-office");
		this.poller.setDaemon(true);
		this.poller.start();
		log.info("{} Kafka back office reading mpp.agency.{}.applications.v1", agencyId, agencyId);
	}

	/**
	 * @param client the Kafka client settings it connects with ({@code bootstrap.servers}, and on a
	 * secured broker its own principal's SASL settings)
	 */
	public static KafkaAgency start(String agencyId, Map<String, Object> client, Duration reportDelay) {
		return new KafkaAgency(agencyId, client, reportDelay);
	}

	/** The client settings of a principal on a SASL/SCRAM broker. */
	public static Map<String, Object> scram(String bootstrap, String user, String password) {
		return Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism",
				"SCRAM-SHA-256", "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
						+ user + "\" password=\"" + password + "\";");
	}

	@Override
	public BackOffice office() {
		return this.office;
	}

	private void poll(String topic) {
		this.consumer.subscribe(List.of(topic));
		while (this.running) {
			try {
				if (this.office.mode() == BackOffice.Mode.DOWN) {
					Thread.sleep(200);
					continue;
				}
				for (ConsumerRecord<String, String> record : this.consumer.poll(Duration.ofMillis(500))) {
					take(record);
				}
				this.consumer.commitSync();
			}
			catch (WakeupException | InterruptedException stopping) {
				return;
			}
			catch (RuntimeException ex) {
				log.warn("{}: reading applications failed: {}", this.office.agencyId(), ex.toString());
				try {
					Thread.sleep(2000);
				}
				catch (InterruptedException stopping) {
					return;
				}
			}
		}
	}

	private void take(ConsumerRecord<String, String> record) {
		this.office.request();
		Header id = record.headers().lastHeader("ce_id");
		JsonNode application;
		try {
			application = this.json.readTree(record.value());
		}
		catch (RuntimeException notJson) {
			log.warn("{}: not an application at offset {}", this.office.agencyId(), record.offset());
			return;
		}
		String applicationId = application.path("applicationId").asString("");
		String key = id == null ? application.path("eventId").asString(applicationId)
				: new String(id.value(), StandardCharsets.UTF_8);
		try {
			this.office.take(applicationId, key, application.path("form").path("nama").asString(""), this::report);
		}
		catch (BackOffice.Refusal refusal) {
			// the agency answers with a decision: it cannot process the applicant's data
			report(new BackOffice.Status(applicationId, "PLN-TOLAK-" + applicationId, 1, "REJECTED", Instant.now(), null));
		}
	}

	private void report(BackOffice.Status step) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.reports, step.applicationId(),
				step.json(this.json));
		header(record, "ce_specversion", "1.0");
		header(record, "ce_id", step.reportId());
		header(record, "ce_type", "id.mppdigital.agency.report.v1");
		header(record, "ce_source", "/agencies/" + this.office.agencyId());
		header(record, "ce_time", step.at().toString());
		this.producer.send(record, (sent, failure) -> {
			if (failure != null) {
				log.warn("{}: report {} not sent: {}", this.office.agencyId(), step.reportId(), failure.toString());
			}
		});
	}

	private static void header(ProducerRecord<String, String> record, String name, String value) {
		record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void close() {
		this.running = false;
		this.consumer.wakeup();
		try {
			this.poller.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.consumer.close(Duration.ofSeconds(2));
		this.producer.close(Duration.ofSeconds(2));
		this.office.close();
	}

}
