package dev.sluice.server.upstream;

/**
 * A failure talking to an upstream host, with the MongoDB error code a mongos would report for it.
 */
public final class UpstreamException extends RuntimeException {
    /** The kind of failure, with the MongoDB error code and name it maps to. */
    public enum Kind {
        HOST_UNREACHABLE(6, "HostUnreachable"),
        NETWORK_ERROR(9001, "SocketException"),
        NETWORK_TIMEOUT(89, "NetworkTimeout"),
        POOL_TIMEOUT(202, "NetworkInterfaceExceededTimeLimit"),
        POOL_CLEARED(6, "HostUnreachable"),
        SHUTTING_DOWN(91, "ShutdownInProgress"),
        PROTOCOL_ERROR(9001, "SocketException"),
        /**
         * A reply larger than maxUpstreamReplyBytes: refused on its declared length, that one backend
         * connection closed (not a host failure: the pool is kept, and drivers do not retry it).
         */
        REPLY_TOO_LARGE(10334, "BSONObjectTooLarge"),
        /**
         * A backend connection could not authenticate with the upstream URI's credentials: an error of that
         * connection only (no pool clear, no retry: the next connection would fail the same way).
         */
        AUTHENTICATION_FAILED(18, "AuthenticationFailed"),
        /** Sluice closed the connection itself (client gone, pool cleared with interruption, shutdown). */
        CLOSED_BY_SLUICE(9001, "SocketException"),
        /**
         * No server suitable for the operation (its read preference, or a primary for a write) within
         * serverSelectionTimeoutMS: what mongos answers when it cannot target a host.
         */
        NO_SUITABLE_SERVER(133, "FailedToSatisfyReadPreference");

        private final int code;
        private final String codeName;

        Kind(int code, String codeName) {
            this.code = code;
            this.codeName = codeName;
        }

        public int code() {
            return code;
        }

        public String codeName() {
            return codeName;
        }
    }

    private final Kind kind;
    private final String host;
    private final boolean systemOverloaded;

    public UpstreamException(Kind kind, String host, String message, Throwable cause) {
        this(kind, host, message, cause, false);
    }

    private UpstreamException(Kind kind, String host, String message, Throwable cause, boolean systemOverloaded) {
        super(message, cause);
        this.kind = kind;
        this.host = host;
        this.systemOverloaded = systemOverloaded;
    }

    public UpstreamException(Kind kind, String host, String message) {
        this(kind, host, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether this failure carries the backpressure labels ({@code SystemOverloadedError}, {@code RetryableError}):
     * a network error or timeout while a new connection was being established (TCP, TLS I/O, hello), which CMAP
     * treats as a possible sign of an overloaded server. The topology then leaves the server as it is and its pool
     * uncleared, and the client's error reply carries both labels (nothing was sent, so any command may be retried).
     */
    public boolean systemOverloaded() {
        return systemOverloaded;
    }

    /** This failure with the backpressure labels (see {@link #systemOverloaded()}); same kind, host and message. */
    public UpstreamException withBackpressureLabels() {
        return systemOverloaded ? this : new UpstreamException(kind, host, getMessage(), getCause(), true);
    }

    public String host() {
        return host;
    }

    /** Network-class failures are retryable by drivers (and clear the host's pool). */
    public boolean isNetworkError() {
        return kind == Kind.HOST_UNREACHABLE || kind == Kind.NETWORK_ERROR || kind == Kind.NETWORK_TIMEOUT
                || kind == Kind.PROTOCOL_ERROR;
    }
}
