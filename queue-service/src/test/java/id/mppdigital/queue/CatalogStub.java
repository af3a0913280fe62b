package id.mppdigital.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The catalog reads queue-service makes, served on loopback with the catalog's shapes: three MPPs,
 * one in each of Indonesia's time zones, each with two Dukcapil counters (queue {@code A}, one of
 * them also for the limited {@code ktp-el-perekaman}, queue {@code B}) and a police counter
 * (queue {@code C}); open Monday to Friday 08:00–15:00, closed on 2026-12-25. {@code ktp-el-baru} is
 * booked in half-hour slots of two; {@code akta-kelahiran} (queue {@code D}, counter 1) in hourly slots
 * of two, with a daily quota shared by walk-ins and bookings.
 * The real catalog behind the real registry is exercised end to end in platform-tests.
 */
public final class CatalogStub implements AutoCloseable {

	public static final Map<String, String> ZONES = Map.of("kota-probolinggo", "Asia/Jakarta", "kota-makassar",
			"Asia/Makassar", "kota-jayapura", "Asia/Jayapura");

	/** How many of the limited service a day, walk-ins and bookings together. */
	public static final int LIMITED_QUOTA = 3;

	/** The daily quota of {@code akta-kelahiran} (queue {@code D}), booked in hourly slots of two. */
	public static final int SHARED_QUOTA = 6;

	/** How many of {@link #SHARED_QUOTA} may be booked online. */
	public static final int ONLINE_QUOTA = 3;

	private static final Pattern MPP = Pattern.compile("/mpps/([a-z0-9-]+)(/hours|/counters|/services\\?.*)?");

	private static final Pattern HOLIDAYS = Pattern.compile("/holidays/(\\d{4})\\?mpp=([a-z0-9-]+)");

	/** Every request line that reached it. */
	public final List<String> received = new CopyOnWriteArrayList<>();

	/** When set, every request gets a 503, as from a catalog that is down. */
	public volatile boolean down;

	private final HttpServer server;

	public CatalogStub() {
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
		Matcher holidays = HOLIDAYS.matcher(target);
		if (this.down) {
			send(exchange, 503, "{\"status\":503}");
		}
		else if (holidays.matches() && ZONES.containsKey(holidays.group(2))) {
			send(exchange, 200, holidays.group(1).equals("2026")
					? "[{\"date\":\"2026-12-25\",\"name\":\"Hari Raya Natal\",\"scope\":\"NATIONAL\"}]" : "[]");
		}
		else if (mpp.matches() && ZONES.containsKey(mpp.group(1))) {
			String id = mpp.group(1);
			String part = mpp.group(2) == null ? "" : mpp.group(2);
			send(exchange, 200, part.equals("/hours") ? hours() : part.equals("/counters") ? counters(id)
					: part.startsWith("/services") ? services() : "{\"id\":\"" + id + "\",\"name\":\"MPP " + id
							+ "\",\"timeZone\":\"" + ZONES.get(id) + "\",\"regionCode\":\"35.74\"}");
		}
		else {
			send(exchange, 404, "{\"status\":404}");
		}
	}

	private static String hours() {
		String office = "{\"opens\":\"08:00:00\",\"closes\":\"15:00:00\"}";
		return "{\"monday\":" + office + ",\"tuesday\":" + office + ",\"wednesday\":" + office + ",\"thursday\":" + office
				+ ",\"friday\":" + office + ",\"saturday\":null,\"sunday\":null}";
	}

	private static String counters(String mpp) {
		return """
				[{"id":"%1$s:1","mppId":"%1$s","number":1,"name":"Loket 1 — Disdukcapil","agencyId":"dukcapil",
				  "standardIds":["ktp-el-baru","kartu-keluarga","akta-kelahiran"]},
				 {"id":"%1$s:2","mppId":"%1$s","number":2,"name":"Loket 2 — Disdukcapil","agencyId":"dukcapil",
				  "standardIds":["ktp-el-baru","kartu-keluarga","ktp-el-perekaman"]},
				 {"id":"%1$s:3","mppId":"%1$s","number":3,"name":"Loket 3 — Polres","agencyId":"polri",
				  "standardIds":["sim-perpanjangan"]}]""".formatted(mpp);
	}

	private static String services() {
		return """
				{"items":[
				 {"standardId":"ktp-el-baru","agencyId":"dukcapil","name":"KTP-el baru","queuePrefix":"A","dailyQuota":null,"days":[],"counter":1,
				  "booking":{"slotMinutes":30,"slotCapacity":2,"onlineQuota":null}},
				 {"standardId":"akta-kelahiran","agencyId":"dukcapil","name":"Akta kelahiran","queuePrefix":"D","dailyQuota":%2$d,"days":[],"counter":1,
				  "booking":{"slotMinutes":60,"slotCapacity":2,"onlineQuota":%3$d}},
				 {"standardId":"kartu-keluarga","agencyId":"dukcapil","name":"Kartu Keluarga","queuePrefix":"A","dailyQuota":null,"days":[],"counter":1},
				 {"standardId":"ktp-el-perekaman","agencyId":"dukcapil","name":"Perekaman KTP-el","queuePrefix":"B","dailyQuota":%1$d,"days":[],"counter":2},
				 {"standardId":"sim-perpanjangan","agencyId":"polri","name":"Perpanjangan SIM","queuePrefix":"C","dailyQuota":null,"days":[],"counter":3}],
				 "page":0,"size":100,"total":5}""".formatted(LIMITED_QUOTA, SHARED_QUOTA, ONLINE_QUOTA);
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
