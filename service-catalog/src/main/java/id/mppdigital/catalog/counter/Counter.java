package id.mppdigital.catalog.counter;

import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A counter (loket) of an MPP: where one agency's officers serve citizens, and which of that
 * agency's services are served there. Queue numbers and officers' consoles refer to it.
 *
 * @param id {@code <mppId>:<number>}
 * @param number the number on the sign, unique within the MPP
 * @param name what the sign says, e.g. {@code Loket Disdukcapil}
 * @param agencyId the agency whose officers work it
 * @param standardIds the services served there (all the agency's own)
 */
@Document("counters")
public record Counter(@Id String id, String mppId, int number, String name, String agencyId, List<String> standardIds) {

	public static String id(String mppId, int number) {
		return mppId + ":" + number;
	}

}
