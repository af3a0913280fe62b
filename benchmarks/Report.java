import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

		System.out.println();
		System.out.println("| measure | direct | through gateway | gateway vs direct |");
		System.out.println("|---|---:|---:|---:|");
		System.out.printf("| max throughput, req/s (closed model, %ds) | %.0f | %.0f | %.2f× |%n", capacitySeconds, direct,
				gateway, gateway / direct);
		System.out.printf("| at %d req/s (open model): p50, ms | %d | %d | +%d |%n", rate, fixDirect.p50(), fixGateway.p50(),
				fixGateway.p50() - fixDirect.p50());
		System.out.printf("| at %d req/s: p90, ms | %d | %d | +%d |%n", rate, fixDirect.p90(), fixGateway.p90(),
				fixGateway.p90() - fixDirect.p90());
		System.out.printf("| at %d req/s: p99, ms | %d | %d | +%d |%n", rate, fixDirect.p99(), fixGateway.p99(),
				fixGateway.p99() - fixDirect.p99());
		System.out.printf("| at %d req/s: p99.9, ms | %d | %d | +%d |%n", rate, fixDirect.p999(), fixGateway.p999(),
				fixGateway.p999() - fixDirect.p999());
		System.out.printf("| failed requests (all phases) | %d | %d | |%n", capDirect.ko() + fixDirect.ko(),
				capGateway.ko() + fixGateway.ko());
		System.out.println();
		System.out.println("Report: " + dir.resolve("index.html"));
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
