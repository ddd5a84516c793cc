package dev.sluice.server.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one data store behind every member of a simulated replica set: an in-memory mongo-java-server on a
 * loopback port, reporting MongoDB 6.0 (wire version 17) as {@code EmbeddedBackend} does, without its
 * "no upstream given" warning.
 */
final class SharedStore implements AutoCloseable {
    private record Version(List<Integer> getVersionArray, int getWireVersion) implements MongoVersion {
    }

    private final MongoServer server;
    private final InetSocketAddress address;

    SharedStore() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(new Version(List.of(6, 0, 0), 17));
        server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        address = server.getLocalAddress();
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
