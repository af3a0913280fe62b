package id.mppdigital.catalog.standard;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The current version of every standard, by id, held in memory so public reads never wait for the
 * database. Kept by the search feature, which rebuilds it with its index; read by anyone.
 */
@Component
public class CurrentStandards {

	private volatile Map<String, StandardVersion> current = Map.of();

	public Map<String, StandardVersion> all() {
		return this.current;
	}

	public void replace(Map<String, StandardVersion> current) {
		this.current = Map.copyOf(current);
	}

}
