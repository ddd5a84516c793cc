package dev.sluice.server.config;

/**
 * Bounds on what a network peer may make Sluice hold, in memory and in time (immutable, validated
 * on construction). Every close or refusal these cause is counted and names the setting.
 *
 * @param loginTimeoutMS        a client connection that has not completed its handshake (hello) within
 *                              this is closed, as PgBouncer's {@code client_login_timeout}
 *                              (default 10,000 ms; 100..600,000)
 * @param frameTimeoutMS        a wire message whose bytes started arriving but did not all arrive within
 *                              this closes its connection (default 30,000 ms; 100..600,000)
 * @param maxBufferedFrameBytes bytes held in incomplete messages, summed over every client connection;
 *                              past it the connections holding the most are closed
 *                              (default 268,435,456 = 256 MiB; 1,048,576..17,179,869,184)
 * @param maxUpstreamReplyBytes largest reply accepted from an upstream server; a larger one closes that
 *                              one backend connection, never the host's pool
 *                              (default 67,108,864 = 64 MiB, the Node.js driver's own limit;
 *                              1,048,576..1,073,741,824)
 * @param maxAdminIds           most ids one admin command (killConnections) may name
 *                              (default 100,000; 1..10,000,000)
 * @param maxUpstreamScramIterations most PBKDF2 iterations an upstream server may ask of Sluice's SCRAM login
 *                              (mongod's default is 15,000; default 1,000,000, about half a second of one core;
 *                              4,096..100,000,000)
 */
public record LimitSettings(long loginTimeoutMS, long frameTimeoutMS, long maxBufferedFrameBytes,
                            int maxUpstreamReplyBytes, int maxAdminIds, int maxUpstreamScramIterations) {

    public static final long DEFAULT_LOGIN_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_FRAME_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_MAX_BUFFERED_FRAME_BYTES = 256L << 20;
    public static final int DEFAULT_MAX_UPSTREAM_REPLY_BYTES = 64 << 20;
    public static final int DEFAULT_MAX_ADMIN_IDS = 100_000;
    public static final int DEFAULT_MAX_UPSTREAM_SCRAM_ITERATIONS = 1_000_000;

    public LimitSettings {
        Ranges.check("loginTimeoutMS", loginTimeoutMS, 100, 600_000);
        Ranges.check("frameTimeoutMS", frameTimeoutMS, 100, 600_000);
        Ranges.check("maxBufferedFrameBytes", maxBufferedFrameBytes, 1L << 20, 16L << 30);
        Ranges.check("maxUpstreamReplyBytes", maxUpstreamReplyBytes, 1 << 20, 1 << 30);
        Ranges.check("maxAdminIds", maxAdminIds, 1, 10_000_000);
        Ranges.check("maxUpstreamScramIterations", maxUpstreamScramIterations, 4_096, 100_000_000);
    }

    public static LimitSettings defaults() {
        return new LimitSettings(DEFAULT_LOGIN_TIMEOUT_MS, DEFAULT_FRAME_TIMEOUT_MS, DEFAULT_MAX_BUFFERED_FRAME_BYTES,
                DEFAULT_MAX_UPSTREAM_REPLY_BYTES, DEFAULT_MAX_ADMIN_IDS, DEFAULT_MAX_UPSTREAM_SCRAM_ITERATIONS);
    }
}
