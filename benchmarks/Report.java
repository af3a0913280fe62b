import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Gatling report (index.html of GatewayOverheadSimulation) and prints the side-by-side
 * comparison for docs/benchmarks.md. Run as a single-file program:
 * {@code java benchmarks/Report.java <report dir> <capacity seconds> <fixed rate>}.
 */
public class Report {

	record Row(long total, long ok, long ko, long p50, long p90, long p99, long p999, long mean) {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[0]);
		int capacitySeconds = Integer.parseInt(args[1]);
		int rate = Integer.parseInt(args[2]);
		Map<String, Row> rows = parse(Files.readString(dir.resolve("index.html")));

		Row capDirect = rows.get("capacity-direct");
		Row capGateway = rows.get("capacity-gateway");
		Row fixDirect = rows.get("fixed-direct");
		Row fixGateway = rows.get("fixed-gateway");
		double direct = (double) capDirect.ok() / capacitySeconds;
		double gateway = (double) capGateway.ok() / capacitySeconds;

		Row capReference = rows.get("capacity-reference");
		Row fixReference = rows.get("fixed-reference");
		boolean withReference = capReference != null && fixReference != null;
		double reference = withReference ? (double) capReference.ok() / capacitySeconds : 0;

		System.out.println();
		System.out.println("| measure | direct | through gateway | gateway vs direct |"
				+ (withReference ? " through reference proxy | reference vs direct |" : ""));
		System.out.println("|---|---:|---:|---:|" + (withReference ? "---:|---:|" : ""));
		System.out.printf("| max throughput, req/s (closed model, %ds) | %.0f | %.0f | %.2f× |%s%n", capacitySeconds,
				direct, gateway, gateway / direct,
				withReference ? String.format(" %.0f | %.2f× |", reference, reference / direct) : "");
		latency(rate + " req/s (open model): p50", Row::p50, fixDirect, fixGateway, fixReference);
		latency(rate + " req/s: p90", Row::p90, fixDirect, fixGateway, fixReference);
		latency(rate + " req/s: p99", Row::p99, fixDirect, fixGateway, fixReference);
		latency(rate + " req/s: p99.9", Row::p999, fixDirect, fixGateway, fixReference);
		System.out.printf("| failed requests (all phases) | %d | %d | |%s%n", capDirect.ko() + fixDirect.ko(),
				capGateway.ko() + fixGateway.ko(),
				withReference ? " " + (capReference.ko() + fixReference.ko()) + " | |" : "");
		System.out.println();
		System.out.println("Report: " + dir.resolve("index.html"));
	}

	static void latency(String measure, ToLongFunction<Row> value, Row direct, Row gateway, Row reference) {
		long d = value.applyAsLong(direct);
		long g = value.applyAsLong(gateway);
		String ref = reference == null ? ""
				: String.format(" %d | +%d |", value.applyAsLong(reference), value.applyAsLong(reference) - d);
		System.out.printf("| at %s, ms | %d | %d | +%d |%s%n", measure, d, g, g - d, ref);
	}

	/** The statistics table: one row per request name, cells col-2 (total) to col-13 (mean). */
	static Map<String, Row> parse(String html) {
		Map<String, Row> rows = new LinkedHashMap<>();
		Matcher row = Pattern.compile("class=\"ellipsed-name\">([^<]+)</span>(.*?)</tr>", Pattern.DOTALL).matcher(html);
		while (row.find()) {
			Map<Integer, Long> cells = new LinkedHashMap<>();
			Matcher cell = Pattern.compile("class=\"value [a-z]+ col-(\\d+)\">([-0-9.]+)</td>").matcher(row.group(2));
			while (cell.find()) {
				cells.put(Integer.parseInt(cell.group(1)), Math.round(Double.parseDouble(cell.group(2))));
			}
			rows.put(row.group(1), new Row(cells.get(2), cells.get(3), cells.get(4), cells.get(8), cells.get(9),
					cells.get(10), cells.get(11), cells.get(13)));
		}
		return rows;
	}

}
