package id.mppdigital.application;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The catalog reads application-service makes, served on loopback with fixed answers: an MPP's time
 * zone, whether it offers a service, and "add N working days" (here: N calendar days, so a test can
 * tell what was asked).
 * The real catalog behind the real registry is exercised end to end in platform-tests.
 */
public final class CatalogStub implements AutoCloseable {

	static final Map<String, String> ZONES = Map.of("kota-probolinggo", "Asia/Jakarta", "kota-jayapura",
			"Asia/Jayapura", "kota-malang", "Asia/Jakarta");

	private static final Pattern MPP = Pattern.compile("/mpps/([a-z0-9-]+)");

	/** Every MPP here offers every service, but Jayapura has no police counter. */
	private static final Pattern SERVICE = Pattern.compile("/mpps/([a-z0-9-]+)/services/([a-z0-9-]+)");

	private static final Pattern WORKING_DAYS = Pattern
		.compile("/mpps/([a-z0-9-]+)/working-days\\?from=(\\d{4}-\\d{2}-\\d{2})&add=(\\d+)");

	/** Every request line that reached it. */
	public final List<String> received = new CopyOnWriteArrayList<>();

	/** When set, every request gets a 503, as from a catalog that is down. */
	public volatile boolean down;

	private final HttpServer server;

	CatalogStub() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::answer);
		this.server.start();
	}

	public String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void answer(HttpExchange exchange) throws IOException {
		String target = exchange.getRequestURI().toString();
		this.received.add(target);
		Matcher mpp = MPP.matcher(target);
		Matcher add = WORKING_DAYS.matcher(target);
		Matcher service = SERVICE.matcher(target);
		if (this.down) {
			send(exchange, 503, "{\"status\":503}");
		}
		else if (add.matches() && ZONES.containsKey(add.group(1))) {
			LocalDate from = LocalDate.parse(add.group(2));
			int days = Integer.parseInt(add.group(3));
			send(exchange, 200, "{\"from\":\"" + from + "\",\"workingDays\":" + days + ",\"date\":\""
					+ from.plusDays(days) + "\"}");
		}
		else if (service.matches() && ZONES.containsKey(service.group(1))
				&& !(service.group(1).equals("kota-jayapura") && service.group(2).startsWith("sim-"))) {
			send(exchange, 200, "{\"standardId\":\"" + service.group(2) + "\"}");
		}
		else if (mpp.matches() && ZONES.containsKey(mpp.group(1))) {
			send(exchange, 200, "{\"id\":\"" + mpp.group(1) + "\",\"name\":\"MPP\",\"timeZone\":\""
					+ ZONES.get(mpp.group(1)) + "\"}");
		}
		else {
			send(exchange, 404, "{\"status\":404}");
		}
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
