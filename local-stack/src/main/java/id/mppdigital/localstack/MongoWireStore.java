package id.mppdigital.localstack;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The MongoDB-wire store of the local stack: mongo-java-server speaking the wire protocol to the
 * real driver, on an H2 file so data survives restarts (or in memory for tests). It has no
 * transactions, change streams or TTL expiry, which is why services keep every atomic step to a
 * single-document write.
 */
public final class MongoWireStore implements AutoCloseable {

	private final MongoServer server;

	private final InetSocketAddress address;

	private MongoWireStore(MongoServer server, InetSocketAddress address) {
		this.server = server;
		this.address = address;
	}

	/** Starts a store persisted in {@code file} (created if absent), or in memory when it is null. */
	public static MongoWireStore start(Path file, String host, int port) {
		MongoBackend backend;
		if (file == null) {
			backend = new MemoryBackend() {
				@Override
				public Document handleCommand(Channel channel, String database, String command, Document query) {
					return super.handleCommand(channel, database, modernCommand(command), query);
				}
			};
		}
		else {
			try {
				Files.createDirectories(file.toAbsolutePath().getParent());
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException("Cannot create " + file.getParent(), ex);
			}
			backend = new H2Backend(file.toString()) {
				@Override
				public Document handleCommand(Channel channel, String database, String command, Document query) {
					return super.handleCommand(channel, database, modernCommand(command), query);
				}
			};
		}
		MongoServer server = new MongoServer(backend);
		try {
			server.bind(host, port);
		}
		catch (RuntimeException ex) {
			// its event-loop threads would otherwise keep the JVM alive after the failure
			server.shutdownNow();
			throw new IllegalStateException("The MongoDB-wire store cannot listen on " + host + ":" + port + ": "
					+ ex.getMessage(), ex);
		}
		return new MongoWireStore(server, server.getLocalAddress());
	}

	/**
	 * Drivers since MongoDB 5 ask {@code hello} where older ones asked {@code isMaster} (Spring
	 * Boot's health check does); mongo-java-server 1.47 only knows the old name, same answer.
	 */
	static String modernCommand(String command) {
		return "hello".equalsIgnoreCase(command) ? "isMaster" : command;
	}

	public int port() {
		return this.address.getPort();
	}

	public String connectionString(String database) {
		return "mongodb://" + this.address.getHostString() + ":" + this.address.getPort() + "/" + database;
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

}
