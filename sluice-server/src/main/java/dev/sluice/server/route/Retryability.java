package dev.sluice.server.route;

import dev.sluice.server.upstream.UpstreamException;

import java.util.Set;

/**
 * Which failures an operation may be replayed after, on another (or the same, once it is back) server: the
 * retryable errors of the retryable reads and writes specifications. A failure before anything was sent (no
 * connection could be had) is always safe to replay; after sending, only reads and retryable writes are.
 */
final class Retryability {
    /** Server codes after which a read or retryable write may be tried again elsewhere. */
    private static final Set<Integer> RETRYABLE_CODES = Set.of(
            11600, // InterruptedAtShutdown
            11602, // InterruptedDueToReplStateChange
            10107, // NotWritablePrimary
            13435, // NotPrimaryNoSecondaryOk
            13436, // NotPrimaryOrSecondary
            189,   // PrimarySteppedDown
            91,    // ShutdownInProgress
            7,     // HostNotFound
            6,     // HostUnreachable
            89,    // NetworkTimeout
            9001,  // SocketException
            262);  // ExceededTimeLimit

    private Retryability() {
    }

    /** A reply code after which the operation may be replayed. */
    static boolean retryableCode(Integer code) {
        return code != null && RETRYABLE_CODES.contains(code);
    }

    /** A failure on a connection the request was sent on, after which a read or retryable write may be replayed. */
    static boolean retryableAfterSend(UpstreamException e) {
        return switch (e.kind()) {
            case NETWORK_ERROR, NETWORK_TIMEOUT, HOST_UNREACHABLE, PROTOCOL_ERROR, CLOSED_BY_SLUICE -> true;
            default -> false;
        };
    }

    /**
     * A failure to get a connection (nothing was sent): the server is unreachable or its pool was cleared. A pool
     * wait-queue timeout is not: the server is busy, not gone.
     */
    static boolean retryableBeforeSend(UpstreamException e) {
        return switch (e.kind()) {
            case NETWORK_ERROR, NETWORK_TIMEOUT, HOST_UNREACHABLE, PROTOCOL_ERROR, POOL_CLEARED -> true;
            default -> false;
        };
    }
}
