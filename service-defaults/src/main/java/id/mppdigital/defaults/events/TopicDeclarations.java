package id.mppdigital.defaults.events;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares the service's topics (its {@code NewTopic} beans) and the dead-letter topics of what it
 * consumes, in the background after start-up and again every few seconds until the broker has them.
 * Spring's own declaration runs once, during start-up: with Kafka down or slow then (a laptop
 * starting nine JVMs, a broker restarting), it would either block the start or — with a short time
 * limit — give up for good and leave the topic missing while the service looks healthy.
 */
class TopicDeclarations implements ApplicationListener<ApplicationStartedEvent> {

	private static final Logger log = LoggerFactory.getLogger(TopicDeclarations.class);

	static final Duration RETRY = Duration.ofSeconds(3);

	private final KafkaAdmin admin;

	private final KafkaListenerEndpointRegistry listeners;

	private final DeadLetters deadLetters;

	private volatile Disposable declaring;

	TopicDeclarations(KafkaAdmin admin, KafkaListenerEndpointRegistry listeners, DeadLetters deadLetters) {
		this.admin = admin;
		this.listeners = listeners;
		this.deadLetters = deadLetters;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		Set<String> consumed = new LinkedHashSet<>();
		this.listeners.getListenerContainers().forEach(container -> {
			String[] names = container.getContainerProperties().getTopics();
			if (names != null) {
				consumed.addAll(Set.of(names));
			}
		});
		// KafkaAdmin.initialize() answers false when it has nothing to declare, as for a pure consumer
		boolean producesTopics = !event.getApplicationContext().getBeansOfType(NewTopic.class).isEmpty()
				|| !event.getApplicationContext().getBeansOfType(KafkaAdmin.NewTopics.class).isEmpty();
		this.declaring = Mono.fromRunnable(() -> {
			if (producesTopics && !this.admin.initialize()) {
				throw new IllegalStateException("the broker did not answer");
			}
			this.deadLetters.declare(consumed);
		})
			.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RETRY)
				.doBeforeRetry(signal -> {
					if (signal.totalRetries() % 10 == 0) {
						log.warn("Kafka topics not declared yet; trying again every {} s: {}", RETRY.toSeconds(),
								signal.failure().toString());
					}
				}))
			.subscribe(null, ex -> log.error("Kafka topics could not be declared", ex),
					() -> log.info("Kafka topics declared (dead-letter topics for {})", consumed));
		event.getApplicationContext().addApplicationListener((ApplicationListener<ContextClosedEvent>) closed -> {
			Disposable running = this.declaring;
			if (running != null) {
				running.dispose();
			}
		});
	}

}
