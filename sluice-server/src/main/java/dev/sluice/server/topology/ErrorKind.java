package dev.sluice.server.topology;

/** The class of an error seen on an upstream connection. */
public enum ErrorKind {
    /** A socket error other than a timeout (reset, refused, closed). */
    NETWORK,
    /** A socket read or write timed out. */
    TIMEOUT,
    /** The server answered {@code ok: 0} (or with a write concern error). */
    COMMAND
}
