package id.mppdigital.queue.board;

import java.time.Clock;
import java.util.Map;

import id.mppdigital.defaults.events.BroadcastListeners;
import id.mppdigital.defaults.events.Contracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConsumerSeekAware;

/**
 * Every queue-service instance reads every board change ({@code mpp.queue.board.v1}) into its
 * {@link Board}: its own group per instance, which never commits an offset; on start it reads the topic
 * again from {@code mpp.queue.board-history} ago, so that a board resuming after a restart finds what
 * it missed. Each record is checked against the contract (and that queue-service sent it) first.
 */
@Configuration(proxyBeanMethods = false)
class BoardListener implements ConsumerSeekAware {

	static final String TOPIC = "mpp.queue.board.v1";

	static final String BOARD_LISTENERS = "boardListeners";

	private final Board board;

	private final Contracts contracts;

	/** Kafka's own: record timestamps are the producers' wall clocks, whatever this service's clock says. */
	private final Clock wall = Clock.systemUTC();

	BoardListener(Board board, Contracts contracts) {
		this.board = board;
		this.contracts = contracts;
	}

	/** Each instance in a group of its own, no offsets committed ({@link BroadcastListeners}). */
	@Bean(BOARD_LISTENERS)
	static ConcurrentKafkaListenerContainerFactory<Object, Object> boardListeners(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
		return BroadcastListeners.factory(configurer, consumers);
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		callback.seekToTimestamp(assignments.keySet(), this.wall.instant().minus(this.board.keep()).toEpochMilli());
	}

	@KafkaListener(topics = TOPIC, containerFactory = BOARD_LISTENERS,
			groupId = "queue-service-board-#{T(java.util.UUID).randomUUID()}",
			properties = { "auto.offset.reset=earliest", "enable.auto.commit=false" })
	void changed(ConsumerRecord<String, String> record) {
		this.board.add(record.offset(), this.contracts.read(record, Board.Change.class));
	}

}
