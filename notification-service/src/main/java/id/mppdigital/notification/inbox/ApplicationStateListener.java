package id.mppdigital.notification.inbox;

import java.time.Duration;
import java.time.Instant;

import id.mppdigital.notification.inbox.Notification.Text;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Tells citizens in their in-app inbox when their application moves
 * ({@code mpp.application.state-changed.v1}, contracts/). The notification's id is the event's, so
 * a redelivered event is not told twice.
 */
@Component
class ApplicationStateListener {

	static final String TOPIC = "mpp.application.state-changed.v1";

	private final ReactiveMongoTemplate mongo;

	private final JsonMapper json;

	ApplicationStateListener(ReactiveMongoTemplate mongo, JsonMapper json) {
		this.mongo = mongo;
		this.json = json;
	}

	@KafkaListener(topics = TOPIC, groupId = "notification-service", properties = "auto.offset.reset=earliest")
	void changed(String event) {
		JsonNode changed = this.json.readTree(event);
		String application = changed.path("applicationId").asString();
		String state = changed.path("state").asString();
		String note = changed.path("note").isTextual() ? changed.path("note").asString() : null;
		Notification notification = new Notification(changed.path("eventId").asString(),
				changed.path("applicant").asString(), application, state, title(state, application),
				body(state, changed.path("standardId").asString(), changed.path("dueDate").asString(), note),
				Instant.now(), null);
		// the listener thread may wait; a failure is retried by the container before the offset moves
		this.mongo.insert(notification)
			.then()
			.onErrorResume(DuplicateKeyException.class, told -> Mono.empty())
			.block(Duration.ofSeconds(10));
	}

	private static Text title(String state, String application) {
		return switch (state) {
			case "IN_PROCESS" -> new Text("Permohonan " + application + " sedang diproses",
					"Application " + application + " is being processed");
			case "COMPLETED" -> new Text("Permohonan " + application + " selesai",
					"Application " + application + " is completed");
			case "REJECTED" -> new Text("Permohonan " + application + " ditolak",
					"Application " + application + " was rejected");
			case "WITHDRAWN" -> new Text("Permohonan " + application + " dibatalkan",
					"Application " + application + " was withdrawn");
			default -> new Text("Permohonan " + application + ": " + state, "Application " + application + ": " + state);
		};
	}

	private static Text body(String state, String standard, String dueDate, String note) {
		String reason = (note == null || note.isBlank()) ? "" : " " + note;
		return switch (state) {
			case "IN_PROCESS" -> new Text("Layanan " + standard + " sedang diproses oleh instansi; paling lambat selesai "
					+ dueDate + ".", "The agency is working on your " + standard + "; it is due by " + dueDate + ".");
			case "COMPLETED" -> new Text("Layanan " + standard + " telah selesai." + reason,
					"Your " + standard + " is done." + reason);
			case "REJECTED" -> new Text("Layanan " + standard + " tidak dapat diproses." + reason,
					"Your " + standard + " could not be granted." + reason);
			case "WITHDRAWN" -> new Text("Anda membatalkan permohonan layanan " + standard + "." + reason,
					"You withdrew your " + standard + " application." + reason);
			default -> new Text(standard, standard);
		};
	}

}
