package dev.sluice.server.config;

import dev.sluice.pool.PoolSettings;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.topology.SelectionSettings;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.TopologySettings;
import dev.sluice.server.topology.srv.SrvQuery;
import dev.sluice.server.topology.srv.SrvResolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The upstream deployment and how Sluice connects to it, from one parse of its MongoDB connection string
 * ({@link ConnectionString}). Immutable; every value is validated here, and an error names the option.
 *
 * @param uri                      the connection string with secrets masked (safe to log)
 * @param hosts                    the seed list (one host, a list of mongos, or replica set members); empty for a
 *                                 {@code mongodb+srv://} URI until DNS has answered ({@link #withSrvResolution})
 * @param pool                     per-host pool settings (maxPoolSize, minPoolSize, maxConnecting, maxIdleTimeMS,
 *                                 waitQueueTimeoutMS)
 * @param connectTimeoutMS         TCP connect plus handshake limit per backend connection (default 10,000; 0 = none)
 * @param socketTimeoutMS          limit on waiting for one reply from upstream (default 0 = none)
 * @param heartbeatFrequencyMS     how often each host is checked (default 10,000; min 500)
 * @param appName                  the application name of Sluice's backend connections (may be null)
 * @param compressors              compressors offered to upstream, in order (from {@code compressors=})
 * @param tls                      whether backend connections (pooled and monitoring) use TLS (tls/ssl)
 * @param replicaSet               the required replica set name, or null
 * @param embedded                 true when this points at Sluice's own embedded backend
 * @param directConnection         talk to the one seed whatever it is, no discovery
 * @param readPreference           the read preference of reads whose client sends no {@code $readPreference}
 *                                 (readPreference, readPreferenceTags, maxStalenessSeconds; default primary)
 * @param localThresholdMS         the latency window of server selection (default 15)
 * @param serverSelectionTimeoutMS how long an operation waits for a suitable server (default 30,000)
 * @param serverMonitoringMode     auto (streaming where the server supports it), stream or poll
 * @param retryReads               Sluice replays a read that failed on a retryable error once (default true)
 * @param retryWrites              Sluice replays a retryable write that failed on a retryable error once
 *                                 (default true)
 * @param warnings                 what the parse ignored (unknown options), for the start log
 * @param srv                      for a {@code mongodb+srv://} URI: the SRV name, srvServiceName and srvMaxHosts to
 *                                 look up (and to rescan for mongos); null for {@code mongodb://}
 * @param tlsOptions               the tls* options when {@code tls}, else null
 * @param credential               the credential pooled connections authenticate with (SCRAM-SHA-1/256, authSource),
 *                                 or null; its toString masks the password
 * @param loadBalanced             the one host is a load balancer in front of mongos ({@code loadBalanced=true}, in
 *                                 the URI or the TXT record): topology LoadBalanced, not monitored, every backend
 *                                 handshake says {@code loadBalanced: true} and must get a {@code serviceId} back,
 *                                 and cursors and transactions keep the backend connection they started on
 */
public record UpstreamSettings(String uri, List<HostAndPort> hosts, PoolSettings pool, long connectTimeoutMS,
                               long socketTimeoutMS, long heartbeatFrequencyMS, String appName,
                               List<String> compressors, boolean tls, String replicaSet, boolean embedded,
                               boolean directConnection, ReadPreference readPreference, long localThresholdMS,
                               long serverSelectionTimeoutMS, MonitoringMode serverMonitoringMode,
                               boolean retryReads, boolean retryWrites, List<String> warnings, SrvQuery srv,
                               UpstreamTlsOptions tlsOptions, UriCredential credential, boolean loadBalanced) {

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_HEARTBEAT_FREQUENCY_MS = 10_000;
    public static final long DEFAULT_LOCAL_THRESHOLD_MS = 15;
    public static final long DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 30_000;

    /** serverMonitoringMode: how monitors learn of changes. */
    public enum MonitoringMode {
        /** Streaming when the server supports it (it reports a topologyVersion), polling otherwise. */
        AUTO,
        /** Streaming when the server supports it; the same as auto outside FaaS platforms. */
        STREAM,
        /** A hello every heartbeatFrequencyMS, never streaming. */
        POLL;

        static MonitoringMode of(String value) {
            return value == null ? AUTO : valueOf(value.toUpperCase(Locale.ROOT));
        }

        /** The option's value as written in a URI. */
        public String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public UpstreamSettings {
        hosts = List.copyOf(hosts);
        compressors = List.copyOf(compressors);
        warnings = List.copyOf(warnings);
        if (hosts.isEmpty() && srv == null) {
            throw new ConfigException("upstream: no host in '" + uri + "'");
        }
        if (readPreference == null) {
            readPreference = ReadPreference.PRIMARY;
        }
        if (serverMonitoringMode == null) {
            serverMonitoringMode = MonitoringMode.AUTO;
        }
        Ranges.check("connectTimeoutMS", connectTimeoutMS, 0, 3_600_000);
        Ranges.check("socketTimeoutMS", socketTimeoutMS, 0, 86_400_000);
        Ranges.check("heartbeatFrequencyMS", heartbeatFrequencyMS, 500, 3_600_000);
        Ranges.check("localThresholdMS", localThresholdMS, 0, 86_400_000);
        Ranges.check("serverSelectionTimeoutMS", serverSelectionTimeoutMS, 1, 86_400_000);
        if (tls && tlsOptions == null) {
            tlsOptions = new UpstreamTlsOptions(null, null, null, false, false);
        }
        if (directConnection && hosts.size() > 1) {
            throw new ConfigException("directConnection=true: needs exactly one host (got " + hosts.size() + ")");
        }
        if (loadBalanced && (hosts.size() > 1 || directConnection || replicaSet != null)) {
            throw new ConfigException("loadBalanced=true: needs exactly one host (got " + hosts.size()
                    + "), without directConnection=true or replicaSet");
        }
    }

    /**
     * Parses a MongoDB URI once. Refused at start, each with a message naming it: a malformed URI, an invalid value
     * of an option Sluice applies, a valid option Sluice does not implement, and what is not implemented yet
     * (authentication mechanisms other than SCRAM). Unknown option names are warnings ({@link #warnings()}).
     * A mongodb+srv:// URI gives settings without hosts: {@link #withSrvResolution} adds them once DNS has answered.
     *
     * @param embedded true for Sluice's own embedded backend
     */
    public static UpstreamSettings fromUri(String uri, boolean embedded) {
        ConnectionString cs;
        try {
            cs = ConnectionString.parse(uri);
        } catch (ConfigException e) {
            throw new ConfigException("upstream: invalid MongoDB URI: " + e.getMessage(), e);
        }
        NotYetSupported.refuse(cs);
        UriOptions o = cs.options();
        invalidValuesAreErrors(cs);
        UpstreamUriSupport.requireSupported(cs);
        List<HostAndPort> hosts = new ArrayList<>();
        for (UriHost h : cs.isSrv() ? List.<UriHost>of() : cs.hosts()) {
            if (h.type() == UriHost.Type.UNIX) {
                throw new ConfigException("upstream: '" + h.host() + "' is a Unix domain socket; Sluice connects to "
                        + "upstream over TCP (HOST:PORT)");
            }
            hosts.add(h.toHostAndPort());
        }
        List<String> compressors = new ArrayList<>();
        for (String c : o.list(UriOption.COMPRESSORS)) {
            compressors.add(c.toLowerCase(Locale.ROOT));
        }
        return new UpstreamSettings(cs.redacted(), hosts, pool(o),
                o.integer(UriOption.CONNECT_TIMEOUT_MS, (int) DEFAULT_CONNECT_TIMEOUT_MS),
                o.integer(UriOption.SOCKET_TIMEOUT_MS, 0),
                o.integer(UriOption.HEARTBEAT_FREQUENCY_MS, (int) DEFAULT_HEARTBEAT_FREQUENCY_MS),
                o.string(UriOption.APP_NAME), compressors, cs.tlsEnabled(), o.string(UriOption.REPLICA_SET), embedded,
                o.bool(UriOption.DIRECT_CONNECTION, false), readPreference(o),
                o.integer(UriOption.LOCAL_THRESHOLD_MS, (int) DEFAULT_LOCAL_THRESHOLD_MS),
                o.integer(UriOption.SERVER_SELECTION_TIMEOUT_MS, (int) DEFAULT_SERVER_SELECTION_TIMEOUT_MS),
                MonitoringMode.of(o.string(UriOption.SERVER_MONITORING_MODE)),
                o.bool(UriOption.RETRY_READS, true), o.bool(UriOption.RETRY_WRITES, true), cs.warnings(),
                cs.isSrv() ? SrvQuery.of(cs) : null, cs.tlsEnabled() ? UpstreamTlsOptions.of(o) : null, cs.credential(),
                o.bool(UriOption.LOAD_BALANCED, false));
    }

    /**
     * The settings of a {@code mongodb+srv://} URI once DNS has answered: the seeds are the SRV records' hosts
     * (srvMaxHosts of them), replicaSet, authSource and loadBalanced the URI's or else the TXT record's.
     *
     * @throws ConfigException naming the option and the DNS name it came from
     */
    public UpstreamSettings withSrvResolution(SrvResolution resolution) {
        if (srv == null) {
            throw new IllegalStateException("not a mongodb+srv:// upstream: " + uri);
        }
        String from = "(from the TXT record of '" + resolution.query().host() + "')";
        UriCredential effective = credential;
        // the URI's own options win over the TXT record's (the URI kept here is masked, not the credential)
        boolean explicitAuthSource = ConnectionString.parse(uri).options().given().contains(UriOption.AUTH_SOURCE);
        if (resolution.authSource() != null && credential != null && !explicitAuthSource) {
            effective = new UriCredential(credential.mechanism(), credential.username(), credential.password(),
                    resolution.authSource(), credential.properties());
        }
        boolean balanced = resolution.loadBalanced();
        if (balanced && resolution.seeds().size() != 1) {
            throw new ConfigException("upstream: loadBalanced=true " + from + " needs exactly one SRV record (got "
                    + resolution.seeds().size() + ")");
        }
        List<HostAndPort> seeds = new ArrayList<>();
        for (ServerAddress a : resolution.seeds()) {
            seeds.add(new HostAndPort(a.host(), a.port()));
        }
        return new UpstreamSettings(uri, seeds, pool, connectTimeoutMS, socketTimeoutMS, heartbeatFrequencyMS, appName,
                compressors, tls, resolution.replicaSet(), embedded, directConnection, readPreference, localThresholdMS,
                serverSelectionTimeoutMS, serverMonitoringMode, retryReads, retryWrites, warnings, srv, tlsOptions,
                effective, balanced);
    }

    /**
     * The URI Options spec makes an invalid value a warning and ignores the option; Sluice refuses to start instead,
     * for the options it applies, so that a typo in maxPoolSize never runs with the default silently.
     */
    private static void invalidValuesAreErrors(ConnectionString cs) {
        for (UriOption given : cs.options().given()) {
            if (!cs.options().has(given) && UpstreamUriSupport.HONOURED.contains(given)) {
                String detail = "";
                for (String w : cs.warnings()) {
                    if (w.contains("'" + given.key() + "'") || w.toLowerCase(Locale.ROOT)
                            .contains("'" + given.key().toLowerCase(Locale.ROOT) + "'")) {
                        detail = ": " + w;
                        break;
                    }
                }
                throw new ConfigException("upstream: invalid value for URI option " + given.key() + detail);
            }
        }
    }

    private static PoolSettings pool(UriOptions o) {
        PoolSettings.Builder b = PoolSettings.builder();
        if (o.has(UriOption.MAX_POOL_SIZE)) {
            b.maxPoolSize(o.integer(UriOption.MAX_POOL_SIZE));
        }
        if (o.has(UriOption.MIN_POOL_SIZE)) {
            b.minPoolSize(o.integer(UriOption.MIN_POOL_SIZE));
        }
        if (o.has(UriOption.MAX_CONNECTING)) {
            b.maxConnecting(o.integer(UriOption.MAX_CONNECTING));
        }
        if (o.has(UriOption.MAX_IDLE_TIME_MS)) {
            b.maxIdleTimeMS(o.integer(UriOption.MAX_IDLE_TIME_MS));
        }
        if (o.has(UriOption.WAIT_QUEUE_TIMEOUT_MS)) {
            b.waitQueueTimeoutMS(o.integer(UriOption.WAIT_QUEUE_TIMEOUT_MS));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("upstream: " + e.getMessage(), e);
        }
    }

    private static ReadPreference readPreference(UriOptions o) {
        String mode = o.string(UriOption.READ_PREFERENCE);
        Integer staleness = o.integer(UriOption.MAX_STALENESS_SECONDS);
        try {
            return new ReadPreference(mode == null ? ReadPreferenceMode.PRIMARY : ReadPreferenceMode.fromWireName(mode),
                    o.tagSets(), staleness == null || staleness == -1 ? OptionalLong.empty() : OptionalLong.of(staleness));
        } catch (ReadPreferenceException e) {
            throw new ConfigException("upstream: readPreference: " + e.getMessage(), e);
        }
    }

    /** The topology's starting point: the seeds, directConnection and replicaSet. */
    public TopologySettings topologySettings() {
        if (hosts.isEmpty()) {
            throw new IllegalStateException("upstream " + uri + ": the SRV name is not resolved yet");
        }
        List<ServerAddress> seeds = new ArrayList<>();
        for (HostAndPort h : hosts) {
            ServerAddress a = new ServerAddress(h.host(), h.port());
            if (!seeds.contains(a)) {
                seeds.add(a);
            }
        }
        return new TopologySettings(seeds, directConnection, replicaSet, loadBalanced);
    }

    /** localThresholdMS and heartbeatFrequencyMS, for the server selector. */
    public SelectionSettings selectionSettings() {
        return new SelectionSettings(localThresholdMS, heartbeatFrequencyMS);
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

    /** Milliseconds as a TimeUnit-friendly helper. */
    public long connectTimeout(TimeUnit unit) {
        return unit.convert(connectTimeoutMS, TimeUnit.MILLISECONDS);
    }

    /** What the URI may say that Sluice does not implement yet: each refused with a message saying so. */
    static final class NotYetSupported {
        private NotYetSupported() {
        }

        static void refuse(ConnectionString cs) {
            UriCredential credential = cs.credential();
            if (credential == null && cs.options().given().contains(UriOption.AUTH_SOURCE)) {
                throw new ConfigException("upstream: authSource without a user name: add user:password@ before the "
                        + "hosts, or remove authSource");
            }
            if (credential != null && credential.mechanism() == AuthMechanism.MONGODB_X509) {
                UpstreamX509.check(cs);
                return;
            }
            if (credential != null) {
                AuthMechanism m = credential.mechanism();
                if (m != null && m != AuthMechanism.SCRAM_SHA_1 && m != AuthMechanism.SCRAM_SHA_256) {
                    throw new ConfigException("upstream: authMechanism=" + m.mechanismName() + " is not supported yet "
                            + "(Sluice authenticates to upstream with SCRAM-SHA-256, SCRAM-SHA-1 or MONGODB-X509)");
                }
                if (credential.password() == null) {
                    throw new ConfigException("upstream: the URI names user '" + credential.username()
                            + "' but no password (user:password@host); SCRAM needs one");
                }
            }
        }
    }
}
