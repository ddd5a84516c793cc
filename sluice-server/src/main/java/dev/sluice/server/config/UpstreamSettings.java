package dev.sluice.server.config;

import com.mongodb.ConnectionString;
import dev.sluice.pool.PoolSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The upstream cluster and how Sluice connects to it, from a MongoDB connection string.
 *
 * @param uri                 the connection string with any password masked (safe to log)
 * @param hosts               the seed list (one host, or a list of mongos)
 * @param pool                per-host pool settings (maxPoolSize, minPoolSize, maxConnecting, maxIdleTimeMS,
 *                            waitQueueTimeoutMS)
 * @param connectTimeoutMS    TCP connect plus handshake limit per backend connection (default 10,000; 0 = none)
 * @param socketTimeoutMS     limit on waiting for one reply from upstream (default 0 = none)
 * @param heartbeatFrequencyMS how often each host is checked (default 10,000; min 500)
 * @param appName             sent as the application name of Sluice's backend connections (may be null)
 * @param compressors         compressors offered to upstream, in order (from {@code compressors=})
 * @param tls                 whether backend connections use TLS
 * @param replicaSet          the replica set name, or null
 * @param embedded            true when this points at Sluice's own embedded backend
 */
public record UpstreamSettings(String uri, List<HostAndPort> hosts, PoolSettings pool, long connectTimeoutMS,
                               long socketTimeoutMS, long heartbeatFrequencyMS, String appName,
                               List<String> compressors, boolean tls, String replicaSet, boolean embedded) {

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_HEARTBEAT_FREQUENCY_MS = 10_000;

    public UpstreamSettings {
        hosts = List.copyOf(hosts);
        compressors = List.copyOf(compressors);
        if (hosts.isEmpty()) {
            throw new ConfigException("upstream: no host in '" + uri + "'");
        }
        Ranges.check("connectTimeoutMS", connectTimeoutMS, 0, 3_600_000);
        Ranges.check("socketTimeoutMS", socketTimeoutMS, 0, 86_400_000);
        Ranges.check("heartbeatFrequencyMS", heartbeatFrequencyMS, 500, 3_600_000);
    }

    /**
     * Parses a MongoDB URI. Pool options are validated strictly: a bad value is an error that names
     * the option and its allowed range.
     */
    public static UpstreamSettings fromUri(String uri, boolean embedded) {
        ConnectionString cs;
        try {
            cs = new ConnectionString(uri);
        } catch (RuntimeException e) {
            throw new ConfigException("upstream: invalid MongoDB URI: " + e.getMessage(), e);
        }
        if (cs.isSrvProtocol()) {
            throw new ConfigException("upstream: mongodb+srv:// URIs are not supported yet; list the hosts with mongodb://");
        }
        if (cs.getCredential() != null) {
            throw new ConfigException("upstream: credentials in the URI are not supported yet (Sluice does not "
                    + "authenticate to upstream); connect to a cluster without authentication, or over a trusted network");
        }
        if (Boolean.TRUE.equals(cs.getSslEnabled())) {
            throw new ConfigException("upstream: tls=true is not supported yet; connect to upstream without TLS");
        }
        PoolSettings pool;
        try {
            pool = PoolSettings.builder().applyConnectionString(uri).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("upstream: " + e.getMessage(), e);
        }
        List<HostAndPort> hosts = new ArrayList<>();
        for (String h : cs.getHosts()) {
            hosts.add(h.indexOf(':') >= 0 && !h.endsWith("]") ? HostAndPort.parse(h, "upstream host")
                    : HostAndPort.parse(h + ":27017", "upstream host"));
        }
        long connectTimeout = cs.getConnectTimeout() == null ? DEFAULT_CONNECT_TIMEOUT_MS : cs.getConnectTimeout();
        long socketTimeout = cs.getSocketTimeout() == null ? 0 : cs.getSocketTimeout();
        String heartbeat = queryOption(uri, "heartbeatfrequencyms");
        long heartbeatMs = heartbeat == null ? DEFAULT_HEARTBEAT_FREQUENCY_MS : parseLong("heartbeatFrequencyMS", heartbeat);
        List<String> compressors = new ArrayList<>();
        if (cs.getCompressorList() != null) {
            for (var c : cs.getCompressorList()) {
                compressors.add(c.getName().toLowerCase(Locale.ROOT));
            }
        }
        boolean tls = Boolean.TRUE.equals(cs.getSslEnabled());
        return new UpstreamSettings(mask(uri), hosts, pool, connectTimeout, socketTimeout, heartbeatMs,
                cs.getApplicationName(), compressors, tls, cs.getRequiredReplicaSetName(), embedded);
    }

    /** The URI with its password replaced by "****". */
    public static String mask(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.indexOf('@');
        if (scheme < 0 || at < 0) {
            return uri;
        }
        int colon = uri.indexOf(':', scheme + 3);
        if (colon < 0 || colon > at) {
            return uri;
        }
        return uri.substring(0, colon + 1) + "****" + uri.substring(at);
    }

    private static String queryOption(String uri, String lowerName) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).toLowerCase(Locale.ROOT).equals(lowerName)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(option + ": '" + value + "' is not a number");
        }
    }

    /** Milliseconds as a TimeUnit-friendly helper. */
    public long connectTimeout(TimeUnit unit) {
        return unit.convert(connectTimeoutMS, TimeUnit.MILLISECONDS);
    }
}
