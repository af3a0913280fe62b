package id.mppdigital.defaults.events;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * One way for every consumer to fail: a record that cannot be taken is retried with a bounded
 * back-off (the partition waits: later records of the same key stay behind it, in order), then sent
 * to {@code <topic>.DLT} and the next record flows. A {@link ContractViolation} is not retried. Boot
 * puts this error handler into every listener container factory it configures.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(EventsProperties.class)
public class EventConsumersAutoConfiguration {

	@Bean
	Contracts contracts(JsonMapper json) {
		return new Contracts(json);
	}

	@Bean
	DeadLetters deadLetters(KafkaTemplate<?, ?> kafka, KafkaAdmin admin, MeterRegistry meters) {
		return new DeadLetters(kafka, admin, meters);
	}

	@Bean
	CommonErrorHandler eventErrorHandler(DeadLetters deadLetters, EventsProperties properties) {
		EventsProperties.Retry retry = properties.retry();
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxAttempts() - 1);
		backOff.setInitialInterval(retry.initialInterval().toMillis());
		backOff.setMultiplier(retry.multiplier());
		backOff.setMaxInterval(retry.maxInterval().toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
		handler.addNotRetryableExceptions(ContractViolation.class);
		return handler;
	}

	/** Topics and dead-letter topics, declared in the background until the broker has them. */
	@Bean
	TopicDeclarations topicDeclarations(KafkaAdmin admin, KafkaListenerEndpointRegistry listeners,
			DeadLetters deadLetters) {
		return new TopicDeclarations(admin, listeners, deadLetters);
	}

}
