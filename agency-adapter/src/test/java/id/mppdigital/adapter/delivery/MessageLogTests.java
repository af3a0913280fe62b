package id.mppdigital.adapter.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import id.mppdigital.adapter.messagelog.Entry;
import id.mppdigital.adapter.messagelog.Export;
import id.mppdigital.adapter.messagelog.MessageLog;
import id.mppdigital.adapter.messagelog.MessageLogVerifier;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed message log: what went to an agency and what came back is logged, chained and sealed;
 * an operator's export verifies with the public key anyone can fetch, and stops verifying once an
 * entry was changed or removed.
 */
class MessageLogTests extends AgencyHarness {

	@Autowired
	MessageLog messageLog;

	@Test
	void anExportVerifiesWithThePublicKeyAndATamperedOneDoesNot() throws Exception {
		Instant from = Instant.now().minusSeconds(1);
		String id = submit("dukcapil", "Tercatat");
		List<?> reports = acceptedReports(id, 4, Duration.ofSeconds(30));
		assertThat(reports).hasSize(4);
		this.messageLog.seal().block();
		Instant to = Instant.now().plusSeconds(1);
		String operator = issuer.token("mpp-operator", Map.of("roles", List.of("operator")));
		String publicKey = this.client.get().uri("/message-log/public-key").exchange()
			.expectStatus().isOk()
			.expectBody(Map.class).returnResult().getResponseBody().get("key").toString();

		Export export = export(operator, from, to);
		assertThat(export.entries()).filteredOn(entry -> id.equals(entry.applicationId()))
			.extracting(entry -> entry.direction() + " " + entry.kind())
			.containsExactly("OUT application", "IN report", "IN report", "IN report", "IN report");
		assertThat(export.entries()).allSatisfy(entry -> assertThat(entry.bodyHash()).matches("[0-9a-f]{64}"));
		assertThat(MessageLogVerifier.verify(export, publicKey)).isEmpty();

		// someone with access to the store changes what an entry says went out ...
		Entry delivered = export.entries().stream().filter(entry -> id.equals(entry.applicationId())).findFirst().orElseThrow();
		try {
			tamperWith(delivered, operator, from, to, publicKey);
		}
		finally {
			// the log is shared by the tests of this context: put the entry back as it was
			this.store.remove(Query.query(Criteria.where("_id").is(delivered.id())), Entry.class).block();
			this.store.insert(delivered).block();
		}
		assertThat(MessageLogVerifier.verify(export(operator, from, to), publicKey)).isEmpty();
		// an export checked against another key than the adapter's does not verify either
		Export intact = new Export(export.from(), export.to(), export.entries(), export.seals(), export.publicKey());
		String otherKey = java.util.Base64.getEncoder()
			.encodeToString(java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
		assertThat(MessageLogVerifier.verify(intact, otherKey)).anySatisfy(problem -> assertThat(problem).contains("not signed"));

		// only operators export
		this.client.get().uri(uri -> uri.path("/message-log").queryParam("from", from).queryParam("to", to).build())
			.headers(h -> h.setBearerAuth(issuer.citizen("c-nosy"))).exchange().expectStatus().isForbidden();
	}

	@Test
	void messagesLoggedAtOnceAreNumberedWithoutGapsAndChained() {
		Instant from = Instant.now().minusSeconds(1);
		// 300 messages from many threads at once: written in groups, each entry still one number and one link
		reactor.core.publisher.Flux.range(0, 300)
			.flatMap(n -> this.messageLog.append(MessageLog.Direction.IN, "dukcapil", "burst-" + n, "report", "body " + n)
				.subscribeOn(reactor.core.scheduler.Schedulers.parallel()), 64)
			.then()
			.block(Duration.ofSeconds(30));
		this.messageLog.seal().block();
		String operator = issuer.token("mpp-operator", Map.of("roles", List.of("operator")));
		Export export = export(operator, from, Instant.now().plusSeconds(1));
		List<Entry> burst = export.entries().stream().filter(entry -> entry.applicationId().startsWith("burst-")).toList();
		assertThat(burst).hasSize(300);
		assertThat(burst).extracting(Entry::applicationId).doesNotHaveDuplicates();
		List<Long> numbers = export.entries().stream().map(Entry::id).toList();
		for (int i = 1; i < numbers.size(); i++) {
			assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
		}
		assertThat(MessageLogVerifier.verify(export, this.messageLog.publicKey())).isEmpty();
	}

	private void tamperWith(Entry delivered, String operator, Instant from, Instant to, String publicKey) {
		this.store.updateFirst(Query.query(Criteria.where("_id").is(delivered.id())),
				new Update().set("bodyHash", "0".repeat(64)), Entry.class).block();
		assertThat(MessageLogVerifier.verify(export(operator, from, to), publicKey))
			.anySatisfy(problem -> assertThat(problem).contains("entry " + delivered.id() + " was changed"));
		// ... or removes it (and re-computing its hash instead would break the chain after it)
		this.store.remove(Query.query(Criteria.where("_id").is(delivered.id())), Entry.class).block();
		assertThat(MessageLogVerifier.verify(export(operator, from, to), publicKey))
			.anySatisfy(problem -> assertThat(problem).contains("missing"));
	}

	private Export export(String operator, Instant from, Instant to) {
		return this.client.get().uri(uri -> uri.path("/message-log").queryParam("from", from).queryParam("to", to).build())
			.headers(h -> h.setBearerAuth(operator))
			.exchange()
			.expectStatus().isOk()
			.expectBody(Export.class).returnResult().getResponseBody();
	}

}
