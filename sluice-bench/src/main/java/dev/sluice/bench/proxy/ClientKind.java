package dev.sluice.bench.proxy;

/** How the load generator talks to its target. */
public enum ClientKind {
    /** The MongoDB Java driver (sync): one MongoClient with maxPoolSize=1 per client thread, {@code find().first()}. */
    DRIVER,
    /** A blocking socket per client thread: hello once, then find commands (OP_MSG), one round trip at a time. */
    RAW,
    /** Netty: every client connection on one event loop thread, each with one find in flight (closed loop). */
    NIO;

    static ClientKind parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
