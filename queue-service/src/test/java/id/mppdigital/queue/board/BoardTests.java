package id.mppdigital.queue.board;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import id.mppdigital.defaults.events.Contracts;
import id.mppdigital.queue.QueueWebTests;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.mppdigital.queue.QueueApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live display board and what queue-service tells the rest of the platform: every change in
 * order on the board, a reconnecting board resuming after the last change it saw, nothing personal on
 * it; the holder's own stream; the called, turn-near and served events in their contracts' shape.
 */
class BoardTests extends QueueWebTests {

	private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
	};

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	Contracts contracts;

	Consumer<String, String> events;

	@BeforeEach
	void listen() {
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "queue-tests-" + System.nanoTime(), false);
		props.put("auto.offset.reset", "latest");
		this.events = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer())
			.createConsumer();
		this.events.subscribe(List.of("mpp.queue.ticket-called.v1", "mpp.queue.turn-near.v1", "mpp.queue.ticket-served.v1"));
		KafkaTestUtils.getRecords(this.events, Duration.ofSeconds(2));
	}

	@AfterEach
	void close() {
		this.events.close();
	}

	/** The board's events (heartbeats left out) from {@code lastEventId} on, until one matches {@code last}. */
	private List<ServerSentEvent<Map<String, Object>>> board(String mpp, String lastEventId,
			Predicate<ServerSentEvent<Map<String, Object>>> last) {
		return board(this.client, mpp, lastEventId, last);
	}

	private static List<ServerSentEvent<Map<String, Object>>> board(WebTestClient client, String mpp, String lastEventId,
			Predicate<ServerSentEvent<Map<String, Object>>> last) {
		return client.get().uri("/mpps/{mpp}/board", mpp).accept(MediaType.TEXT_EVENT_STREAM).headers(h -> {
			if (lastEventId != null) {
				h.set("Last-Event-ID", lastEventId);
			}
		})
			.exchange()
			.expectStatus().isOk()
			.returnResult(EVENT)
			.getResponseBody()
			.filter(event -> event.data() != null)
			.takeUntil(last)
			.collectList()
			.block(Duration.ofSeconds(15));
	}

	/** The change of one ticket (a number is unique per MPP and day) to one state. */
	private static Predicate<ServerSentEvent<Map<String, Object>>> is(Map<String, Object> ticket, String state) {
		return event -> ticket.get("number").equals(event.data().get("number"))
				&& ticket.get("day").equals(event.data().get("day")) && state.equals(event.event());
	}

	/** Each test on a day of its own: numbers restart every day, the board keeps them all. */
	private static void on(int weekday) {
		time.set(MONDAY_9_WIB.plus(Duration.ofDays(weekday)));
	}

	/** Counter 1 opened by {@code officer}, two tickets taken, the first called: both tickets. */
	private List<Map<String, Object>> twoTakenTheFirstCalled(String officer) {
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		Map<String, Object> first = ticket(MPP, KTP);
		Map<String, Object> second = ticket(MPP, KTP);
		assertThat(called(officer, MPP, 1)).containsEntry("id", first.get("id"));
		return List.of(first, second);
	}

	@Test
	void theBoardShowsEveryChangeInOrderAndResumesAfterTheLastOneItSaw() {
		on(1);
		String officer = dukcapil("o-board");
		List<Map<String, Object>> taken = twoTakenTheFirstCalled(officer);
		Map<String, Object> first = taken.get(0);
		Map<String, Object> second = taken.get(1);

		List<ServerSentEvent<Map<String, Object>>> seen = board(MPP, null, is(first, "CALLED"));
		assertThat(seen).extracting(event -> Long.parseLong(event.id())).isSorted().doesNotHaveDuplicates();
		List<ServerSentEvent<Map<String, Object>>> ours = seen.stream()
			.filter(event -> List.of(first.get("number"), second.get("number")).contains(event.data().get("number"))
					&& event.data().get("day").equals(first.get("day")))
			.toList();
		assertThat(ours).extracting(event -> event.data().get("number") + " " + event.event() + " " + event.data().get("counter"))
			.endsWith(first.get("number") + " WAITING null", second.get("number") + " WAITING null",
					first.get("number") + " CALLED 1");
		// numbers and counters only: never the ticket's id (its holder's key) nor who holds it
		assertThat(ours).allSatisfy(event -> assertThat(event.data()).doesNotContainKeys("ticketId", "holder")
			.doesNotContainValue(first.get("id")));

		// a board that saw the first ticket's issue reconnects: exactly what came after, once each
		ServerSentEvent<Map<String, Object>> issued = ours.get(ours.size() - 3);
		List<ServerSentEvent<Map<String, Object>>> resumed = board(MPP, issued.id(), is(first, "CALLED"));
		assertThat(resumed).extracting(ServerSentEvent::id)
			.containsExactlyElementsOf(seen.subList(seen.indexOf(issued) + 1, seen.size()).stream().map(ServerSentEvent::id).toList());

		// live: a board connected now sees the next call as it happens
		List<ServerSentEvent<Map<String, Object>>> live = new ArrayList<>();
		var stream = this.client.get().uri("/mpps/{mpp}/board?lastEventId={id}", MPP, seen.get(seen.size() - 1).id())
			.accept(MediaType.TEXT_EVENT_STREAM).exchange().returnResult(EVENT).getResponseBody()
			.filter(event -> event.data() != null)
			.doOnNext(live::add)
			.takeUntil(is(first, "SERVING"))
			.then()
			.toFuture();
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		stream.orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join();
		assertThat(live).extracting(ServerSentEvent::event).containsExactly("SERVING");
	}

	/** Another queue-service instance on the same store, broker, issuer and catalog (and clock). */
	private ConfigurableApplicationContext instance() {
		return new SpringApplicationBuilder(QueueApplication.class)
			.initializers(context -> context.getBeanFactory().registerSingleton("clock", time))
			// as arguments: default properties would lose to the application's own configuration
			.run("--server.port=0", "--server.address=127.0.0.1", "--eureka.client.enabled=false",
					"--spring.kafka.bootstrap-servers=" + this.broker.getBrokersAsString(),
					"--spring.mongodb.uri=" + mongo.connectionString("mpp-queue"), "--mpp.security.issuer-uri=" + issuer.issuer(),
					"--spring.cloud.discovery.client.simple.instances.service-catalog[0].uri=" + catalog.uri(),
					"--mpp.queue.board-heartbeat=1s");
	}

	private static WebTestClient clientOf(ConfigurableApplicationContext instance) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"))
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	@Test
	void aBoardOnEitherOfTwoInstancesOrOnARestartedOneSeesEveryCallWithTheSameIds() {
		on(3);
		String officer = dukcapil("o-two");
		Map<String, Object> first = twoTakenTheFirstCalled(officer).get(0);
		List<ServerSentEvent<Map<String, Object>>> here = board(MPP, null, is(first, "CALLED"));
		String calledId = here.get(here.size() - 1).id();
		try (ConfigurableApplicationContext other = instance()) {
			// the call was made on this instance; the other one's board has it, under the same id
			List<ServerSentEvent<Map<String, Object>>> there = board(clientOf(other), MPP, null, is(first, "CALLED"));
			assertThat(there).extracting(ServerSentEvent::id).containsExactlyElementsOf(here.stream().map(ServerSentEvent::id).toList());
			assertThat(there).extracting(ServerSentEvent::data).containsExactlyElementsOf(here.stream().map(ServerSentEvent::data).toList());
		}
		// while the other instance is down the ticket is served; after its restart a board resuming
		// from the call gets exactly that, once
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		try (ConfigurableApplicationContext restarted = instance()) {
			List<ServerSentEvent<Map<String, Object>>> resumed = board(clientOf(restarted), MPP, calledId, is(first, "SERVING"));
			assertThat(resumed).extracting(ServerSentEvent::event).containsExactly("SERVING");
			assertThat(resumed).extracting(ServerSentEvent::id)
				.containsExactlyElementsOf(board(MPP, calledId, is(first, "SERVING")).stream().map(ServerSentEvent::id).toList());
		}
	}

	@Test
	void aQuietBoardGetsHeartbeatsAndBadResumesAreRefused() {
		List<ServerSentEvent<Map<String, Object>>> quiet = this.client.get().uri("/mpps/kota-jayapura/board")
			.accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(EVENT).getResponseBody()
			.filter(event -> event.data() == null && event.comment() != null)
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(quiet).hasSize(2);
		this.client.get().uri("/mpps/{mpp}/board", MPP).accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", "yesterday").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.get().uri("/mpps/kota-atlantis/board").accept(MediaType.TEXT_EVENT_STREAM).exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void theHoldersStreamMovesWithTheQueueAndEndsWithTheTicket() {
		on(2);
		String officer = dukcapil("o-follow");
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		ticket(MPP, KTP);
		Map<String, Object> mine = ticket(MPP, KTP);
		List<Map<String, Object>> views = java.util.Collections.synchronizedList(new ArrayList<>());
		var following = this.client.get().uri("/tickets/{id}/events", mine.get("id")).accept(MediaType.TEXT_EVENT_STREAM)
			.exchange().returnResult(EVENT).getResponseBody()
			.filter(event -> event.data() != null)
			.doOnNext(event -> views.add(event.data()))
			.then()
			.toFuture();
		called(officer, MPP, 1);
		// the phone shows each move once the board has it (a moment after the counter made it)
		awaitView(views, "WAITING 1");
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		desk(officer, MPP, 1, "finish").expectStatus().isOk();
		called(officer, MPP, 1);
		awaitView(views, "CALLED null");
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		desk(officer, MPP, 1, "finish").expectStatus().isOk();
		// the stream ends by itself once the ticket is done
		following.orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join();
		assertThat(views).extracting(view -> view.get("state") + " " + view.get("position"))
			.startsWith("WAITING 2").contains("WAITING 1", "CALLED null").endsWith("DONE null");
	}

	@Test
	void callsNearTurnsAndServicesAreToldAsTheContractsSay() {
		on(3);
		String officer = dukcapil("o-events");
		desk(officer, MPP, 1, "open").expectStatus().isOk();
		String citizen = issuer.citizen("c-near");
		Object firstId = ticket(MPP, KTP).get("id");
		ticket(MPP, KTP);
		ticket(MPP, KTP);
		Map<String, Object> near = take(MPP, KTP, citizen, null).expectStatus().isCreated().expectBody(Map.class)
			.returnResult().getResponseBody();
		// the first is called: the citizen's ticket is now third in line
		called(officer, MPP, 1);
		desk(officer, MPP, 1, "recall").expectStatus().isOk();
		desk(officer, MPP, 1, "start").expectStatus().isOk();
		desk(officer, MPP, 1, "finish").expectStatus().isOk();

		List<ConsumerRecord<String, String>> told = received(3);
		for (ConsumerRecord<String, String> record : told) {
			// headers (the producer, the type) and payload as the contract says, or this throws
			this.contracts.read(record, Map.class);
		}
		assertThat(told).filteredOn(record -> record.topic().equals("mpp.queue.ticket-called.v1"))
			.extracting(record -> this.contracts.read(record, Map.class).get("recall"))
			.containsExactly(0, 1);
		assertThat(told).filteredOn(record -> record.topic().equals("mpp.queue.turn-near.v1")).singleElement()
			.satisfies(record -> assertThat(this.contracts.read(record, Map.class)).containsEntry("ticketId", near.get("id"))
				.containsEntry("position", 3).containsEntry("holder", "c-near"));
		assertThat(told).filteredOn(record -> record.topic().equals("mpp.queue.ticket-served.v1")).singleElement()
			.satisfies(record -> assertThat(this.contracts.read(record, Map.class)).containsEntry("ticketId", firstId)
				.containsEntry("agencyId", "dukcapil").containsEntry("counter", 1));
		assertThat(told).extracting(record -> new String(record.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8))
			.containsOnly("/queue-service");
		// and every event left the tickets: nothing waits in their outbox
		assertThat(this.store.findAll(Map.class, "tickets").collectList().block())
			.allSatisfy(ticket -> assertThat((List<?>) ticket.get("unsent")).isNullOrEmpty());
	}

	private static void awaitView(List<Map<String, Object>> views, String stateAndPosition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			synchronized (views) {
				if (views.stream().anyMatch(view -> stateAndPosition.equals(view.get("state") + " " + view.get("position")))) {
					return;
				}
			}
			java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		throw new AssertionError("the holder's stream never showed " + stateAndPosition + ": " + views);
	}

	/** What arrives within a few seconds; at least {@code atLeast} records. */
	private List<ConsumerRecord<String, String>> received(int atLeast) {
		List<ConsumerRecord<String, String>> received = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline && received.size() < atLeast + 1) {
			this.events.poll(Duration.ofMillis(500)).forEach(received::add);
		}
		// a moment more for anything that should not be there
		this.events.poll(Duration.ofMillis(500)).forEach(received::add);
		return received;
	}

}
