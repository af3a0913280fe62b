package id.mppdigital.defaults.events;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Listeners that every instance of a service runs in a group of its own ({@code <name>-<random>}), so
 * that each instance sees every record: Boot's listener settings (and the dead-lettering error
 * handler), but offsets are never committed — acknowledged manually, never, not even the start
 * position on assignment — so a stopped instance's group leaves nothing on the broker for the
 * offsets retention.
 */
public final class BroadcastListeners {

	private BroadcastListeners() {
	}

	public static ConcurrentKafkaListenerContainerFactory<Object, Object> factory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumers);
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
		factory.getContainerProperties().setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
		return factory;
	}

}
