package id.mppdigital.adapter.messagelog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * X-Road's signed message log, for the adapter: every message to or from an agency — an
 * application delivered, a report taken — is an entry with its time, direction, agency, application
 * and the SHA-256 of its body (never the body: the log outlives the personal data), chained to the
 * entry before it by hash. The entries are sealed in batches: a seal signs (Ed25519, the adapter's
 * key) the hash of the last entry it covers, and so, through the chain, every entry before it. An
 * operator exports a period ({@link #export}); anyone with the public key verifies it
 * ({@link MessageLogVerifier}): a changed, removed or inserted entry breaks the chain or a seal.
 * <p>
 * Entries are numbered and linked on one thread, in order, and written in groups. The key is read from
 * {@code mpp.adapter.message-log.key-file} (PKCS#8, Base64), made there on the first start; without
 * a file, a key is made for this run only.
 */
@Component
public class MessageLog implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

	/** The chain's start: the "previous hash" of entry 1. */
	static final String GENESIS = "0".repeat(64);

	/** Which way a message went. */
	public enum Direction {
		/** from the platform to the agency */
		OUT,
		/** from the agency to the platform */
		IN
	}

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	private final KeyPair keys;

	/** one thread, which may wait for the store: entries get their numbers and links in order */
	private final Scheduler appender = Schedulers.fromExecutorService(Executors.newSingleThreadExecutor(runnable -> {
		Thread thread = new Thread(runnable, "message-log");
		thread.setDaemon(true);
		return thread;
	}), "message-log");

	/** the most entries written in one insert */
	static final int GROUP = 256;

	private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();

	private long last = -1;

	private String lastHash = GENESIS;

	MessageLog(ReactiveMongoTemplate mongo, Clock clock, @Value("${mpp.adapter.message-log.key-file:}") String keyFile) {
		this.mongo = mongo;
		this.clock = clock;
		this.keys = keys(keyFile);
	}

	/** The key anyone verifies an export with (X.509 SubjectPublicKeyInfo, Base64). */
	public String publicKey() {
		return Base64.getEncoder().encodeToString(this.keys.getPublic().getEncoded());
	}

	/**
	 * Logs one message to or from an agency; the body itself is not kept, only its hash. Completes
	 * once the entry is in the store. Entries waiting meanwhile are written together (one insert for
	 * all of them, in their order: a group commit), so that the chain, which takes one entry at a
	 * time, never makes the deliveries and reports wait for a round trip to the store each.
	 */
	public Mono<Void> append(Direction direction, String agencyId, String applicationId, String kind, String body) {
		String bodyHash = Hashes.sha256(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
		return Mono.<Void>create(sink -> {
			this.waiting.add(new Waiting(direction.name(), agencyId, applicationId, kind, bodyHash, sink));
			this.appender.schedule(this::writeWaiting);
		}).publishOn(Schedulers.parallel());
	}

	/** An entry asked for and not yet written, with who waits for it. */
	private record Waiting(String direction, String agencyId, String applicationId, String kind, String bodyHash,
			MonoSink<Void> sink) {

	}

	/**
	 * On the appender's thread: numbers, links and writes what waits, up to {@value #GROUP} entries
	 * in one insert. When the write fails, nobody waiting is told it was logged, and the chain is read
	 * again from the store (part of the group may have been written).
	 */
	private void writeWaiting() {
		List<Waiting> group = new ArrayList<>();
		for (Waiting next = this.waiting.poll(); next != null; next = (group.size() < GROUP) ? this.waiting.poll() : null) {
			group.add(next);
		}
		if (group.isEmpty()) {
			return;
		}
		try {
			resume();
			long sequence = this.last;
			String previous = this.lastHash;
			// the store keeps milliseconds: the hash is over what it keeps
			Instant at = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
			List<Entry> entries = new ArrayList<>(group.size());
			for (Waiting one : group) {
				Entry entry = Entry.of(++sequence, at, one.direction(), one.agencyId(), one.applicationId(), one.kind(),
						one.bodyHash(), previous);
				entries.add(entry);
				previous = entry.hash();
			}
			this.mongo.insertAll(entries).then().block();
			this.last = sequence;
			this.lastHash = previous;
		}
		catch (RuntimeException failure) {
			this.last = -1;
			group.forEach(one -> one.sink().error(failure));
			return;
		}
		group.forEach(one -> one.sink().success());
	}

	/** Where the chain stands after a restart: its last entry. */
	private void resume() {
		if (this.last >= 0) {
			return;
		}
		Entry newest = this.mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1), Entry.class)
			.block();
		this.last = (newest == null) ? 0 : newest.id();
		this.lastHash = (newest == null) ? GENESIS : newest.hash();
	}

	/** Seals the entries since the last seal: a signature over the newest one's hash. */
	@Scheduled(fixedDelayString = "${mpp.adapter.message-log.seal-interval:10s}",
			initialDelayString = "${mpp.adapter.message-log.seal-interval:10s}")
	void sealNow() {
		seal().subscribe(null, failure -> log.warn("message log not sealed: {}", failure.toString()));
	}

	/** Seals what is not sealed yet, on the appender's thread (so no entry slips in between). */
	public Mono<Void> seal() {
		return Mono.fromRunnable(() -> {
			resume();
			Seal previous = this.mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1), Seal.class)
				.block();
			long from = (previous == null) ? 1 : previous.id() + 1;
			if (this.last < from) {
				return;
			}
			Seal seal = new Seal(this.last, from, this.lastHash, this.clock.instant(),
					sign(Seal.signed(from, this.last, this.lastHash)));
			this.mongo.insert(seal).block();
		}).subscribeOn(this.appender).then();
	}

	/**
	 * The entries of a period, with the seals that cover them, and the key to check them with. The
	 * entries run from the first one the first covering seal signed to the last one the last signed,
	 * so that removing any entry of the period — the first or the last too — shows.
	 */
	public Mono<Export> export(Instant from, Instant to) {
		Query period = Query.query(Criteria.where("at").gte(from).lt(to)).with(Sort.by("_id"));
		return this.mongo.find(period, Entry.class).collectList().flatMap(found -> {
			if (found.isEmpty()) {
				return Mono.just(new Export(from, to, List.of(), List.of(), publicKey()));
			}
			long first = found.get(0).id();
			long lastOne = found.get(found.size() - 1).id();
			Query seals = Query.query(Criteria.where("_id").gte(first)).with(Sort.by("_id"));
			return this.mongo.find(seals, Seal.class)
				.takeUntil(seal -> seal.id() >= lastOne)
				.collectList()
				.flatMap(covering -> {
					long fromId = covering.isEmpty() ? first : Math.min(first, covering.get(0).from());
					long upTo = covering.isEmpty() ? lastOne : Math.max(lastOne, covering.get(covering.size() - 1).id());
					Query entries = Query.query(Criteria.where("_id").gte(fromId).lte(upTo)).with(Sort.by("_id"));
					return this.mongo.find(entries, Entry.class)
						.collectList()
						.map(all -> new Export(from, to, all, covering, publicKey()));
				});
		});
	}

	private String sign(String text) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(this.keys.getPrivate());
			signature.update(text.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The key pair from its file (private PKCS#8 and public X.509, Base64, a line each), made there if absent. */
	private static KeyPair keys(String keyFile) {
		try {
			if (keyFile == null || keyFile.isBlank()) {
				log.warn("mpp.adapter.message-log.key-file is not set: the message log is signed with a key made for this run only");
				return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			}
			Path file = Path.of(keyFile);
			Base64.Encoder base64 = Base64.getEncoder();
			if (!Files.exists(file)) {
				KeyPair made = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
				Files.createDirectories(file.toAbsolutePath().getParent());
				Files.writeString(file, base64.encodeToString(made.getPrivate().getEncoded()) + "\n"
						+ base64.encodeToString(made.getPublic().getEncoded()) + "\n");
				try {
					Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
				}
				catch (UnsupportedOperationException notPosix) {
					// the file system's defaults
				}
			}
			List<String> lines = Files.readAllLines(file);
			KeyFactory factory = KeyFactory.getInstance("Ed25519");
			PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(0).strip())));
			PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(1).strip())));
			return new KeyPair(publicKey, privateKey);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new IllegalStateException("the message log key in " + keyFile + " cannot be read", ex);
		}
	}

	@Override
	public void destroy() {
		this.appender.dispose();
	}

}
