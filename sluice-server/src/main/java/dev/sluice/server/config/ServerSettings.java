package dev.sluice.server.config;

import java.util.List;

/**
 * Settings of Sluice's own listeners (immutable, validated on construction).
 *
 * @param listen                 the mongodb connector's address (default 127.0.0.1:27016; port 0 picks a free port)
 * @param http                   the HTTP connector's address (default 127.0.0.1:27080); null disables it
 * @param maxIncomingConnections client connections accepted at once on the mongodb connectors, router and
 *                               load-balanced together (default 20,000; 1..1,000,000); past it new connections are
 *                               refused and counted
 * @param maxMessageSizeBytes    largest wire message accepted (default 48,000,000; 1,024..48,000,000)
 * @param compressors            compressors offered to clients, in order of preference (default snappy, zlib, zstd)
 * @param shutdownTimeoutMS      on SIGTERM, how long in-flight operations may run before Sluice closes anyway
 *                               (default 10,000 ms; 0..600,000)
 * @param alertThresholdPercent  warn when client or backend connections pass this share of their limit
 *                               (default 80; 1..100)
 * @param embeddedWireVersion    wire version the embedded backend reports (default 17, MongoDB 6.0; 9..25)
 * @param limits                 what a peer may make Sluice hold in memory and time
 * @param httpSettings           the HTTP connector's limits and Host allow-list
 * @param allowUnauthenticatedRemoteAccess the operator accepts binding the HTTP connector beyond loopback
 *                               without authentication (flag {@code --allow-unauthenticated-remote-access})
 * @param alertHysteresisPercent an alert clears only this many points below its threshold (default 10;
 *                               0..alertThresholdPercent-1)
 * @param authorization          clients must authenticate and every command is authorized ({@code --auth},
 *                               YAML {@code security.authorization: enabled}; default off)
 * @param maxIncomingConnectionsExplicit true when the operator set maxIncomingConnections (then a value that
 *                               does not fit the open-file limit stops Sluice instead of being lowered)
 * @param https                  the https connector's address (same API and dashboard as http, over TLS with
 *                               {@code net.tls.certificateKeyFile}); null (the default) disables it
 * @param tls                    client-facing TLS ({@code net.tls.*}); disabled by default
 * @param loadBalancedListen     the load-balanced connector's address, for drivers connected with
 *                               {@code loadBalanced=true} (YAML {@code net.loadBalancedListen}, flag
 *                               {@code --load-balanced-port}); null (the default) disables it
 * @param transport              the network transport ({@code net.transport}, flag {@code --transport}; default auto:
 *                               io_uring, else epoll, else NIO)
 */
public record ServerSettings(HostAndPort listen, HostAndPort http, int maxIncomingConnections,
                             int maxMessageSizeBytes, List<String> compressors, long shutdownTimeoutMS,
                             int alertThresholdPercent, int embeddedWireVersion, LimitSettings limits,
                             HttpSettings httpSettings, boolean allowUnauthenticatedRemoteAccess,
                             boolean maxIncomingConnectionsExplicit, int alertHysteresisPercent,
                             boolean authorization, HostAndPort https, TlsSettings tls,
                             HostAndPort loadBalancedListen, NetTransport transport) {

    public static final HostAndPort DEFAULT_LISTEN = new HostAndPort("127.0.0.1", 27016);
    public static final HostAndPort DEFAULT_HTTP = new HostAndPort("127.0.0.1", 27080);
    public static final int DEFAULT_MAX_INCOMING_CONNECTIONS = 20_000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES = 48_000_000;
    public static final List<String> DEFAULT_COMPRESSORS = List.of("snappy", "zlib", "zstd");
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 15_000; // mongos's shutdownTimeoutSecs default (5.0+)
    public static final int DEFAULT_ALERT_THRESHOLD_PERCENT = 80;
    public static final int DEFAULT_EMBEDDED_WIRE_VERSION = 17;
    public static final int DEFAULT_ALERT_HYSTERESIS_PERCENT = 10;

    public ServerSettings {
        if (listen == null) {
            throw new ConfigException("listen: missing (expected HOST:PORT)");
        }
        Ranges.check("maxIncomingConnections", maxIncomingConnections, 1, 1_000_000);
        Ranges.check("maxMessageSizeBytes", maxMessageSizeBytes, 1_024, 48_000_000);
        Ranges.check("shutdownTimeoutMS", shutdownTimeoutMS, 0, 600_000);
        Ranges.check("alertThresholdPercent", alertThresholdPercent, 1, 100);
        Ranges.check("embeddedWireVersion", embeddedWireVersion, 9, 25);
        Ranges.check("alerts.hysteresisPercent", alertHysteresisPercent, 0, alertThresholdPercent - 1);
        limits = limits == null ? LimitSettings.defaults() : limits;
        httpSettings = httpSettings == null ? HttpSettings.defaults() : httpSettings;
        tls = tls == null ? TlsSettings.disabled() : tls;
        transport = transport == null ? NetTransport.AUTO : transport;
        if (https != null && !tls.hasCertificate()) {
            throw new ConfigException("https: " + https + " needs a certificate: set net.tls.certificateKeyFile "
                    + "(--tlsCertificateKeyFile FILE, a PEM file with the certificate chain and its private key)");
        }
        if (loadBalancedListen != null && loadBalancedListen.equals(listen) && loadBalancedListen.port() != 0) {
            throw new ConfigException("net.loadBalancedListen: " + loadBalancedListen + " is also listen's address; the "
                    + "load-balanced connector needs a port of its own (--load-balanced-port)");
        }
        compressors = List.copyOf(compressors == null ? List.of() : compressors);
        for (String c : compressors) {
            if (!DEFAULT_COMPRESSORS.contains(c)) {
                throw new ConfigException("compressors: '" + c + "' is not supported (expected any of snappy, zlib, zstd)");
            }
        }
    }

    /** Settings with the default transport (auto). */
    public ServerSettings(HostAndPort listen, HostAndPort http, int maxIncomingConnections,
                          int maxMessageSizeBytes, List<String> compressors, long shutdownTimeoutMS,
                          int alertThresholdPercent, int embeddedWireVersion, LimitSettings limits,
                          HttpSettings httpSettings, boolean allowUnauthenticatedRemoteAccess,
                          boolean maxIncomingConnectionsExplicit, int alertHysteresisPercent,
                          boolean authorization, HostAndPort https, TlsSettings tls, HostAndPort loadBalancedListen) {
        this(listen, http, maxIncomingConnections, maxMessageSizeBytes, compressors, shutdownTimeoutMS,
                alertThresholdPercent, embeddedWireVersion, limits, httpSettings, allowUnauthenticatedRemoteAccess,
                maxIncomingConnectionsExplicit, alertHysteresisPercent, authorization, https, tls, loadBalancedListen,
                null);
    }

    /** Settings without the load-balanced connector. */
    public ServerSettings(HostAndPort listen, HostAndPort http, int maxIncomingConnections,
                          int maxMessageSizeBytes, List<String> compressors, long shutdownTimeoutMS,
                          int alertThresholdPercent, int embeddedWireVersion, LimitSettings limits,
                          HttpSettings httpSettings, boolean allowUnauthenticatedRemoteAccess,
                          boolean maxIncomingConnectionsExplicit, int alertHysteresisPercent,
                          boolean authorization, HostAndPort https, TlsSettings tls) {
        this(listen, http, maxIncomingConnections, maxMessageSizeBytes, compressors, shutdownTimeoutMS,
                alertThresholdPercent, embeddedWireVersion, limits, httpSettings, allowUnauthenticatedRemoteAccess,
                maxIncomingConnectionsExplicit, alertHysteresisPercent, authorization, https, tls, null);
    }

    /** Settings with default limits. */
    public ServerSettings(HostAndPort listen, HostAndPort http, int maxIncomingConnections,
                          int maxMessageSizeBytes, List<String> compressors, long shutdownTimeoutMS,
                          int alertThresholdPercent, int embeddedWireVersion) {
        this(listen, http, maxIncomingConnections, maxMessageSizeBytes, compressors, shutdownTimeoutMS,
                alertThresholdPercent, embeddedWireVersion, null, null, false, false, 0, false);
    }

    /** Settings without the https connector and client-facing TLS. */
    public ServerSettings(HostAndPort listen, HostAndPort http, int maxIncomingConnections,
                          int maxMessageSizeBytes, List<String> compressors, long shutdownTimeoutMS,
                          int alertThresholdPercent, int embeddedWireVersion, LimitSettings limits,
                          HttpSettings httpSettings, boolean allowUnauthenticatedRemoteAccess,
                          boolean maxIncomingConnectionsExplicit, int alertHysteresisPercent, boolean authorization) {
        this(listen, http, maxIncomingConnections, maxMessageSizeBytes, compressors, shutdownTimeoutMS,
                alertThresholdPercent, embeddedWireVersion, limits, httpSettings, allowUnauthenticatedRemoteAccess,
                maxIncomingConnectionsExplicit, alertHysteresisPercent, authorization, null, null);
    }

    /** A copy with another maxIncomingConnections (the effective limit after the open-file check). */
    public ServerSettings withMaxIncomingConnections(int value) {
        return new ServerSettings(listen, http, value, maxMessageSizeBytes, compressors, shutdownTimeoutMS,
                alertThresholdPercent, embeddedWireVersion, limits, httpSettings, allowUnauthenticatedRemoteAccess,
                maxIncomingConnectionsExplicit, alertHysteresisPercent, authorization, https, tls, loadBalancedListen,
                transport);
    }

    /** The defaults: loopback listeners, no upstream (embedded backend). */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_LISTEN, DEFAULT_HTTP, DEFAULT_MAX_INCOMING_CONNECTIONS,
                DEFAULT_MAX_MESSAGE_SIZE_BYTES, DEFAULT_COMPRESSORS, DEFAULT_SHUTDOWN_TIMEOUT_MS,
                DEFAULT_ALERT_THRESHOLD_PERCENT, DEFAULT_EMBEDDED_WIRE_VERSION, LimitSettings.defaults(),
                HttpSettings.defaults(), false, false, DEFAULT_ALERT_HYSTERESIS_PERCENT, false, null, null);
    }
}
