package dev.sluice.server.config;

import dev.sluice.server.topology.srv.SrvSettings;

/**
 * Everything Sluice needs to start: its listeners and its upstream (null upstream URI means the
 * embedded in-memory backend).
 *
 * @param server      Sluice's listeners and limits
 * @param upstreamUri the upstream's connection string, or null for the embedded backend
 * @param dns         how {@code mongodb+srv://} names and upstream host names are looked up (YAML
 *                    {@code dnsServers}, {@code dnsTimeoutMS})
 * @param users       where users come from ({@code security.userSource}) and the cluster users cache's bounds
 */
public record SluiceConfig(ServerSettings server, String upstreamUri, SrvSettings dns, UserSourceSettings users,
                           FleetSettings fleet) {

    public SluiceConfig {
        dns = dns == null ? SrvSettings.defaults() : dns;
        users = users == null ? UserSourceSettings.defaults() : users;
        fleet = fleet == null ? FleetSettings.DISABLED : fleet;
        if (users.cluster()) {
            if (!server.authorization()) {
                throw new ConfigException("security.userSource: cluster needs authorization on (security.authorization: "
                        + "enabled, or --auth): clients log in with their cluster users");
            }
            if (upstreamUri == null || UpstreamSettings.fromUri(upstreamUri, false).credential() == null) {
                throw new ConfigException("security.userSource: cluster needs an upstream URI with the credentials of "
                        + "Sluice's service user (mongodb://svc:PASSWORD@host/?authSource=admin), which reads the "
                        + "cluster's users with usersInfo");
            }
        }
    }

    /** Without a fleet (the default). */
    public SluiceConfig(ServerSettings server, String upstreamUri, SrvSettings dns, UserSourceSettings users) {
        this(server, upstreamUri, dns, users, null);
    }

    /** The system's DNS resolvers and the default timeout. */
    public SluiceConfig(ServerSettings server, String upstreamUri) {
        this(server, upstreamUri, null, null, null);
    }

    /** Sluice's own users, without a fleet (the defaults). */
    public SluiceConfig(ServerSettings server, String upstreamUri, SrvSettings dns) {
        this(server, upstreamUri, dns, null, null);
    }

    /**
     * What the command line gives (null / false: not given).
     *
     * @param tls the {@code --tls*} flags, field by field over the file's {@code net.tls} (null: none)
     */
    public record Flags(String listen, String http, String https, String upstream, boolean allowRemote, boolean auth,
                        ConfigFile.Tls tls, String loadBalancedPort, String userSource, String transport) {
        /** Without {@code --transport}. */
        public Flags(String listen, String http, String https, String upstream, boolean allowRemote, boolean auth,
                     ConfigFile.Tls tls, String loadBalancedPort, String userSource) {
            this(listen, http, https, upstream, allowRemote, auth, tls, loadBalancedPort, userSource, null);
        }

        /** Without {@code --load-balanced-port}, {@code --userSource} and {@code --transport}. */
        public Flags(String listen, String http, String https, String upstream, boolean allowRemote, boolean auth,
                     ConfigFile.Tls tls) {
            this(listen, http, https, upstream, allowRemote, auth, tls, null, null, null);
        }
    }

    /**
     * Merges defaults, then the file, then command-line values (the later wins). Nulls mean "not given".
     */
    public static SluiceConfig merge(ConfigFile file, String listen, String http, String upstream) {
        return merge(file, listen, http, upstream, false);
    }

    /**
     * As {@link #merge(ConfigFile, String, String, String)}; {@code allowRemote} is the
     * {@code --allow-unauthenticated-remote-access} flag (true wins over the file).
     */
    public static SluiceConfig merge(ConfigFile file, String listen, String http, String upstream, boolean allowRemote) {
        return merge(file, listen, http, upstream, allowRemote, false);
    }

    /** As above; {@code auth} is the {@code --auth} flag (true wins over the file). */
    public static SluiceConfig merge(ConfigFile file, String listen, String http, String upstream, boolean allowRemote,
                                     boolean auth) {
        return merge(file, new Flags(listen, http, null, upstream, allowRemote, auth, null));
    }

    /** Merges defaults, then the file, then the command line's {@code flags} (the later wins). */
    public static SluiceConfig merge(ConfigFile file, Flags flags) {
        String listen = flags.listen();
        String http = flags.http();
        String upstream = flags.upstream();
        boolean allowRemote = flags.allowRemote();
        boolean auth = flags.auth();
        ConfigFile f = file == null ? ConfigFile.EMPTY : file;
        ServerSettings d = ServerSettings.defaults();
        LimitSettings dl = d.limits();
        HttpSettings dh = d.httpSettings();
        String listenValue = first(listen, f.listen());
        String httpValue = first(http, f.http());
        ConfigFile.Alerts alerts = f.alerts() == null ? new ConfigFile.Alerts(null, null) : f.alerts();
        if (alerts.thresholdPercent() != null && f.alertThresholdPercent() != null
                && !alerts.thresholdPercent().equals(f.alertThresholdPercent())) {
            throw new ConfigException("alerts.thresholdPercent: " + alerts.thresholdPercent()
                    + " contradicts alertThresholdPercent: " + f.alertThresholdPercent() + " (give one of them)");
        }
        int threshold = or(alerts.thresholdPercent(), or(f.alertThresholdPercent(), d.alertThresholdPercent()));
        LimitSettings limits = new LimitSettings(
                or(f.loginTimeoutMS(), dl.loginTimeoutMS()),
                or(f.frameTimeoutMS(), dl.frameTimeoutMS()),
                or(f.maxBufferedFrameBytes(), dl.maxBufferedFrameBytes()),
                or(f.maxUpstreamReplyBytes(), dl.maxUpstreamReplyBytes()),
                or(f.maxAdminIds(), dl.maxAdminIds()),
                or(f.maxUpstreamScramIterations(), dl.maxUpstreamScramIterations()));
        HttpSettings httpSettings = new HttpSettings(
                or(f.httpMaxConnections(), dh.maxConnections()),
                or(f.httpRequestTimeoutMS(), dh.requestTimeoutMS()),
                or(f.httpIdleTimeoutMS(), dh.idleTimeoutMS()),
                f.httpAllowedHosts() == null ? dh.allowedHosts() : f.httpAllowedHosts(),
                Boolean.TRUE.equals(f.httpMetricsWithoutAuth()),
                or(f.httpMaxPageSize(), dh.maxPageSize()));
        boolean remote = allowRemote || (f.security() != null
                && Boolean.TRUE.equals(f.security().allowUnauthenticatedRemoteAccess()));
        boolean authorization = auth || authorization(f.security());
        String httpsValue = first(flags.https(), f.https());
        ConfigFile.Tls tlsSection = f.net() == null || f.net().tls() == null ? ConfigFile.Tls.NONE : f.net().tls();
        TlsSettings tls = TlsFiles.settings(tlsSection.overriddenBy(flags.tls()));
        ServerSettings server = new ServerSettings(
                listenValue == null ? d.listen() : HostAndPort.parse(listenValue, "listen"),
                httpValue == null ? d.http() : HostAndPort.parse(httpValue, "http"),
                or(f.maxIncomingConnections(), d.maxIncomingConnections()),
                or(f.maxMessageSizeBytes(), d.maxMessageSizeBytes()),
                f.compressors() == null ? d.compressors() : f.compressors(),
                or(f.shutdownTimeoutMS(), d.shutdownTimeoutMS()),
                threshold,
                or(f.embeddedWireVersion(), d.embeddedWireVersion()),
                limits, httpSettings, remote, f.maxIncomingConnections() != null,
                or(alerts.hysteresisPercent(), Math.min(d.alertHysteresisPercent(), threshold - 1)), authorization,
                httpsValue == null ? null : HostAndPort.parse(httpsValue, "https"), tls,
                LoadBalancedListen.of(flags.loadBalancedPort(), f.net() == null ? null : f.net().loadBalancedListen(),
                        listenValue == null ? d.listen() : HostAndPort.parse(listenValue, "listen")),
                transport(flags.transport(), f.net()));
        Exposure.checkHttp(server.http(), server.allowUnauthenticatedRemoteAccess() || server.authorization());
        Exposure.checkHttp(server.https(), server.allowUnauthenticatedRemoteAccess() || server.authorization(), "https");
        String upstreamUri = first(upstream, f.upstream());
        if (upstreamUri != null) {
            // validate now so a bad URI fails at start with a message naming the option
            UpstreamSettings.fromUri(upstreamUri, false);
        }
        return new SluiceConfig(server, upstreamUri, SrvSettings.of(f.dnsServers(), f.dnsTimeoutMS()),
                userSource(f, flags.userSource()), fleet(f.fleet(), upstreamUri != null));
    }

    /** {@code --transport} over the file's {@code net.transport}; auto when neither is given. */
    private static NetTransport transport(String flag, ConfigFile.Net net) {
        if (flag != null) {
            return NetTransport.parse(flag, "--transport");
        }
        return net == null || net.transport() == null ? NetTransport.AUTO
                : NetTransport.parse(net.transport(), "net.transport");
    }

    /**
     * The {@code fleet:} section over the defaults. Off by default: a Sluice writes into its cluster's
     * {@code sluice.fleet} only when asked to ({@code fleet.enabled: true}).
     */
    private static FleetSettings fleet(ConfigFile.Fleet f, boolean upstream) {
        FleetSettings d = FleetSettings.DISABLED;
        if (f == null) {
            return d;
        }
        long heartbeat = or(f.heartbeatIntervalMS(), d.heartbeatIntervalMS());
        boolean enabled = Boolean.TRUE.equals(f.enabled());
        if (enabled && !upstream) {
            throw new ConfigException("fleet.enabled: true needs an upstream (the embedded backend is private to one Sluice)");
        }
        return new FleetSettings(enabled, f.advertiseHttp(), heartbeat,
                or(f.instanceTimeoutMS(), 3 * heartbeat), or(f.peerTimeoutMS(), d.peerTimeoutMS()),
                or(f.maxPeerReplyBytes(), d.maxPeerReplyBytes()), or(f.maxInstances(), d.maxInstances()),
                or(f.connectionBudget(), d.connectionBudget()));
    }

    /** {@code security.userSource} (the flag wins), the cluster users cache's bounds, maxConnectionsPerHost. */
    private static UserSourceSettings userSource(ConfigFile f, String flag) {
        ConfigFile.Security s = f.security();
        UserSourceSettings d = UserSourceSettings.defaults();
        String source = first(flag, s == null ? null : s.userSource());
        return new UserSourceSettings(source == null ? d.source() : UserSource.parse(source),
                s == null || s.clusterUserCacheTTLSeconds() == null ? d.cacheTTLSeconds() : s.clusterUserCacheTTLSeconds(),
                s == null || s.clusterUserCacheSize() == null ? d.cacheSize() : s.clusterUserCacheSize(),
                or(f.maxConnectionsPerHost(), d.maxConnectionsPerHost()));
    }

    /** mongod's {@code security.authorization}: "enabled" or "disabled". */
    private static boolean authorization(ConfigFile.Security security) {
        if (security == null || security.authorization() == null) {
            return false;
        }
        return switch (security.authorization()) {
            case "enabled" -> true;
            case "disabled" -> false;
            default -> throw new ConfigException("security.authorization: '" + security.authorization()
                    + "' (expected: enabled or disabled)");
        };
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    /** The upstream URI with its password and secret options masked: the raw URI never reaches a log. */
    @Override
    public String toString() {
        String uri;
        try {
            uri = upstreamUri == null ? null : ConnectionString.parse(upstreamUri).redacted();
        } catch (ConfigException e) {
            uri = "(invalid URI)";
        }
        return "SluiceConfig[server=" + server + ", upstreamUri=" + uri + "]";
    }
}
