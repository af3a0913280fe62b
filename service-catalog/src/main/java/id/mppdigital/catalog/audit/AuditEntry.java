package id.mppdigital.catalog.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One administrative change: who (token subject and roles), when, what (action and target) and how
 * (the state before and after, as stored).
 */
@Document("audit")
record AuditEntry(@Id String id, Instant at, String actor, List<String> actorRoles, String action, String target,
		Object before, Object after) {
}
