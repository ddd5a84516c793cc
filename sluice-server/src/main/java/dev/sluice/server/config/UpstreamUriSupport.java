package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which connection-string options Sluice honours for its upstream. Every other valid option is refused at start
 * ({@link #requireSupported}): Sluice never accepts an option and then ignores it. Unknown keys and invalid values
 * are already warnings of the parse ({@link ConnectionString#warnings()}).
 */
public final class UpstreamUriSupport {

    /** The options Sluice applies to its upstream connections, pools, monitoring and server selection. */
    public static final Set<UriOption> HONOURED = Collections.unmodifiableSet(EnumSet.of(
            UriOption.MAX_POOL_SIZE, UriOption.MIN_POOL_SIZE, UriOption.MAX_CONNECTING, UriOption.MAX_IDLE_TIME_MS,
            UriOption.WAIT_QUEUE_TIMEOUT_MS, UriOption.CONNECT_TIMEOUT_MS, UriOption.SOCKET_TIMEOUT_MS,
            UriOption.HEARTBEAT_FREQUENCY_MS, UriOption.SERVER_MONITORING_MODE, UriOption.APP_NAME,
            UriOption.COMPRESSORS, UriOption.ZLIB_COMPRESSION_LEVEL, UriOption.REPLICA_SET,
            UriOption.READ_PREFERENCE, UriOption.READ_PREFERENCE_TAGS, UriOption.MAX_STALENESS_SECONDS,
            UriOption.LOCAL_THRESHOLD_MS, UriOption.SERVER_SELECTION_TIMEOUT_MS, UriOption.DIRECT_CONNECTION,
            UriOption.TLS, UriOption.TLS_ALLOW_INVALID_CERTIFICATES, UriOption.TLS_ALLOW_INVALID_HOSTNAMES,
            UriOption.TLS_CA_FILE, UriOption.TLS_CERTIFICATE_KEY_FILE, UriOption.TLS_CERTIFICATE_KEY_FILE_PASSWORD,
            UriOption.TLS_DISABLE_CERTIFICATE_REVOCATION_CHECK, UriOption.TLS_DISABLE_OCSP_ENDPOINT_CHECK,
            UriOption.TLS_INSECURE, UriOption.SRV_MAX_HOSTS, UriOption.SRV_SERVICE_NAME, UriOption.RETRY_WRITES,
            UriOption.RETRY_READS, UriOption.AUTH_SOURCE, UriOption.AUTH_MECHANISM, UriOption.LOAD_BALANCED));

    private UpstreamUriSupport() {
    }

    /** The valid options of {@code uri} that Sluice does not implement, by their spec names, in table order. */
    public static List<String> unsupported(ConnectionString uri) {
        List<String> names = new ArrayList<>();
        for (UriOption o : uri.options().asMap().keySet()) {
            if (!HONOURED.contains(o)) {
                names.add(o.key());
            }
        }
        return List.copyOf(names);
    }

    /**
     * @throws ConfigException naming every option of {@code uri} that Sluice does not implement
     */
    public static void requireSupported(ConnectionString uri) {
        List<String> names = unsupported(uri);
        if (!names.isEmpty()) {
            boolean backpressure = names.contains(UriOption.MAX_ADAPTIVE_RETRIES.key())
                    || names.contains(UriOption.ENABLE_OVERLOAD_RETARGETING.key());
            throw new ConfigException("upstream: URI option" + (names.size() == 1 ? " " : "s ")
                    + String.join(", ", names) + (names.size() == 1 ? " is" : " are")
                    + " not supported by Sluice; remove " + (names.size() == 1 ? "it" : "them")
                    + " from the upstream URI" + (backpressure ? " (Sluice passes overload errors to its clients,"
                    + " whose drivers retry them: set maxAdaptiveRetries and enableOverloadRetargeting in the"
                    + " clients' URIs)" : "") + " (Sluice honours: " + honouredKeys() + ")");
        }
    }

    private static String honouredKeys() {
        List<String> keys = new ArrayList<>();
        for (UriOption o : HONOURED) {
            keys.add(o.key());
        }
        return String.join(", ", keys);
    }
}
