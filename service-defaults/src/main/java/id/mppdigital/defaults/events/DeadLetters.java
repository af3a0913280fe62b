package id.mppdigital.defaults.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

/**
 * Where a record goes that a consumer cannot take: {@code <topic>.DLT}, with the original record's
 * key, value and headers, plus spring-kafka's {@code kafka_dlt-*} headers (original topic, partition,
 * offset, consumer group, exception) and {@value #REASON_HEADER}, one readable line saying why.
 * Operators read and replay them from there ({@code docs/runbooks}); {@code mpp_events_dead_letters_total}
 * counts them per topic and consumer group. The dead-letter topic is declared by the consumer that
 * writes to it, before its first dead letter.
 */
public class DeadLetters extends DeadLetterPublishingRecoverer {

	private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

	public static final String SUFFIX = ".DLT";

	public static final String REASON_HEADER = "mpp_dlt_reason";

	/** Dead letters wait for an operator: kept for 30 days. */
	static final Duration RETENTION = Duration.ofDays(30);

	private final KafkaAdmin admin;

	private final MeterRegistry meters;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	public DeadLetters(KafkaOperations<?, ?> kafka, KafkaAdmin admin, MeterRegistry meters) {
		// the partition is left to the producer (by key): a dead-letter topic has partitions of its own
		super(kafka, (record, ex) -> new TopicPartition(topic(record.topic()), -1));
		this.admin = admin;
		this.meters = meters;
		setHeadersFunction(DeadLetters::reasonHeader);
	}

	public static String topic(String topic) {
		return topic + SUFFIX;
	}

	/** One partition keeps a replay in the order the records failed. */
	public static NewTopic declaration(String topic) {
		return TopicBuilder.name(topic(topic))
			.partitions(1)
			.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RETENTION.toMillis()))
			.build();
	}

	/** Declares the dead-letter topics of these topics now (best effort: again before a first dead letter). */
	public void declare(Set<String> topics) {
		topics.forEach(this::declare);
	}

	private void declare(String topic) {
		if (this.declared.contains(topic)) {
			return;
		}
		this.admin.createOrModifyTopics(declaration(topic));
		this.declared.add(topic);
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
		declare(record.topic());
		super.accept(record, consumer, exception);
		String group = consumer == null ? "" : consumer.groupMetadata().groupId();
		Counter.builder("mpp.events.dead.letters")
			.description("Records a consumer could not take, sent to <topic>.DLT")
			.tag("topic", record.topic())
			.tag("group", group)
			.register(this.meters)
			.increment();
		log.warn("Dead-lettered {}-{}@{} (group {}) to {}: {}", record.topic(), record.partition(), record.offset(),
				group, topic(record.topic()), reason(exception));
	}

	private static Headers reasonHeader(ConsumerRecord<?, ?> record, Exception exception) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(REASON_HEADER, reason(exception).getBytes(StandardCharsets.UTF_8));
		return headers;
	}

	/** What went wrong, without the listener's wrapper. */
	static String reason(Exception exception) {
		Throwable cause = exception;
		while (cause instanceof ListenerExecutionFailedException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage() == null ? "" : cause.getMessage();
		String reason = (cause instanceof ContractViolation) ? "contract: " + message
				: cause.getClass().getSimpleName() + ": " + message;
		return reason.length() > 1000 ? reason.substring(0, 1000) : reason;
	}

}
