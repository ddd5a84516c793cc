package dev.sluice.server.config;

import java.util.List;
import java.util.Locale;

/**
 * Limits and checks of the HTTP connector (immutable, validated on construction).
 *
 * @param maxConnections   HTTP connections open at once; past it new ones are refused and counted
 *                         (default 256; 1..100,000)
 * @param requestTimeoutMS a request whose headers and body have not all arrived within this is answered
 *                         408 and its connection closed (default 10,000 ms; 100..600,000)
 * @param idleTimeoutMS    a keep-alive connection with no request for this long is closed
 *                         (default 60,000 ms; 100..3,600,000)
 * @param allowedHosts     extra names accepted in the {@code Host} header (lower case, without port),
 *                         beyond the bound address and, on loopback, localhost/127.0.0.1/[::1]
 *                         (default none)
 * @param metricsWithoutAuth with authorization on, {@code GET /metrics} is answered without
 *                         credentials (for a Prometheus that cannot send HTTP Basic); YAML
 *                         {@code httpMetricsWithoutAuth}, default false (then it needs
 *                         {@code serverStatus} on the cluster). No effect while authorization is off.
 * @param maxPageSize      the most rows one {@code GET /api/connections} answers, and its default page size
 *                         (YAML {@code httpMaxPageSize}, default 500; 1..100,000); a larger {@code limit} is a 400
 */
public record HttpSettings(int maxConnections, long requestTimeoutMS, long idleTimeoutMS, List<String> allowedHosts,
                           boolean metricsWithoutAuth, int maxPageSize) {
    public static final int DEFAULT_MAX_PAGE_SIZE = 500;

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

    public HttpSettings {
        Ranges.check("httpMaxConnections", maxConnections, 1, 100_000);
        Ranges.check("httpRequestTimeoutMS", requestTimeoutMS, 100, 600_000);
        Ranges.check("httpIdleTimeoutMS", idleTimeoutMS, 100, 3_600_000);
        Ranges.check("httpMaxPageSize", maxPageSize, 1, 100_000);
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(h -> {
                    if (h == null || h.isBlank() || h.contains("/") || h.contains(" ")) {
                        throw new ConfigException("httpAllowedHosts: '" + h + "' (expected a host name or address, without port)");
                    }
                    return h.trim().toLowerCase(Locale.ROOT);
                }).toList();
    }

    /** With the default page size. */
    public HttpSettings(int maxConnections, long requestTimeoutMS, long idleTimeoutMS, List<String> allowedHosts,
                        boolean metricsWithoutAuth) {
        this(maxConnections, requestTimeoutMS, idleTimeoutMS, allowedHosts, metricsWithoutAuth, DEFAULT_MAX_PAGE_SIZE);
    }

    /** Limits and Host list only; {@code /metrics} needs credentials when authorization is on. */
    public HttpSettings(int maxConnections, long requestTimeoutMS, long idleTimeoutMS, List<String> allowedHosts) {
        this(maxConnections, requestTimeoutMS, idleTimeoutMS, allowedHosts, false);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, List.of());
    }

    /** These settings with {@code httpMetricsWithoutAuth} set to {@code open}. */
    public HttpSettings withMetricsWithoutAuth(boolean open) {
        return new HttpSettings(maxConnections, requestTimeoutMS, idleTimeoutMS, allowedHosts, open, maxPageSize);
    }
}
