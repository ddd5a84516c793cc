package dev.sluice.server.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The in-memory MongoDB-compatible backend Sluice starts when no upstream is given
 * (mongo-java-server). Nothing it holds is persisted.
 */
public final class EmbeddedBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);
    static final long DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

    private final MongoServer server;
    private final InetSocketAddress address;
    private final int wireVersion;

    private EmbeddedBackend(MongoServer server, InetSocketAddress address, int wireVersion) {
        this.server = server;
        this.address = address;
        this.wireVersion = wireVersion;
    }

    /** Starts the backend on a free loopback port, reporting the given wire version. */
    public static EmbeddedBackend start(int wireVersion) {
        MemoryBackend backend = new MemoryBackend();
        backend.version(new Version(versionFor(wireVersion), wireVersion));
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        LOG.warn("[embedded] no upstream given: started an in-memory backend on {} (wire version {}). "
                + "NOTHING IS PERSISTED: data is lost when Sluice stops. Use --upstream mongodb://... for a real cluster.",
                address, wireVersion);
        return new EmbeddedBackend(server, address, wireVersion);
    }

    /** "mongodb://127.0.0.1:PORT/". */
    public String uri() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort() + "/";
    }

    public InetSocketAddress address() {
        return address;
    }

    public int wireVersion() {
        return wireVersion;
    }

    /** Stops the backend, waiting at most 5 s (see {@link #close(long)}). */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT_MS);
    }

    /**
     * Stops the backend, waiting at most {@code timeoutMS}. mongo-java-server runs each command on
     * its event loop and its shutdown waits for those loops without a bound, so a command still
     * computing (a long aggregation) would hold shutdown forever: the stop runs on its own daemon
     * thread, and past the timeout Sluice goes on and leaves it to end with the process.
     *
     * @return false when the backend had not stopped in time
     */
    public boolean close(long timeoutMS) {
        Thread stopper = new Thread(server::shutdownNow, "sluice-embedded-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(Math.max(1, timeoutMS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warn("[embedded] backend on {} did not stop within {} ms (a command still running on it?); "
                    + "going on without it", address, timeoutMS);
            return false;
        }
        return true;
    }

    private static List<Integer> versionFor(int wireVersion) {
        // wire version -> server version, as MongoDB's release notes list them
        return switch (wireVersion) {
            case 9 -> List.of(4, 4, 0);
            case 13 -> List.of(5, 0, 0);
            case 14 -> List.of(5, 1, 0);
            case 17 -> List.of(6, 0, 0);
            case 21 -> List.of(7, 0, 0);
            case 25 -> List.of(8, 0, 0);
            default -> wireVersion < 13 ? List.of(4, 4, 0) : wireVersion < 17 ? List.of(5, 0, 0)
                    : wireVersion < 21 ? List.of(6, 0, 0) : wireVersion < 25 ? List.of(7, 0, 0) : List.of(8, 0, 0);
        };
    }

    private record Version(List<Integer> versionArray, int wireVersion) implements MongoVersion {
        @Override
        public List<Integer> getVersionArray() {
            return versionArray;
        }

        @Override
        public int getWireVersion() {
            return wireVersion;
        }
    }
}
