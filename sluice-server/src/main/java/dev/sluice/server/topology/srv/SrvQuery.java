package dev.sluice.server.topology.srv;

import dev.sluice.server.config.ConnectionString;
import dev.sluice.server.config.UriOption;
import dev.sluice.server.config.UriOptions;

import java.util.Locale;

/**
 * What to look up for a {@code mongodb+srv://} URI: its one host name, the SRV service name, srvMaxHosts, and the
 * options the URI itself gives (they override the TXT record's).
 *
 * @param host        the SRV host name from the URI, lower-cased, without a trailing dot
 * @param serviceName srvServiceName ({@code mongodb} by default)
 * @param maxHosts    srvMaxHosts: 0 for no limit
 * @param uriOptions  the URI's own options (authSource, replicaSet, loadBalanced win over the TXT record's), or null
 */
public record SrvQuery(String host, String serviceName, int maxHosts, UriOptions uriOptions) {

    public static final String DEFAULT_SERVICE_NAME = "mongodb";

    public SrvQuery {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("mongodb+srv: empty host name");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (serviceName == null || serviceName.isEmpty()) {
            serviceName = DEFAULT_SERVICE_NAME;
        }
        if (maxHosts < 0) {
            throw new IllegalArgumentException("srvMaxHosts: " + maxHosts + " (expected: >= 0)");
        }
    }

    /** A query with the default service name, no srvMaxHosts and no URI options. */
    public static SrvQuery of(String host) {
        return new SrvQuery(host, DEFAULT_SERVICE_NAME, 0, null);
    }

    /**
     * The query of a parsed {@code mongodb+srv://} URI.
     *
     * @throws IllegalArgumentException when the URI is a plain {@code mongodb://} one
     */
    public static SrvQuery of(ConnectionString cs) {
        if (!cs.isSrv()) {
            throw new IllegalArgumentException("not a mongodb+srv:// URI: " + cs.redacted());
        }
        UriOptions o = cs.options();
        return new SrvQuery(cs.hosts().get(0).host(), o.string(UriOption.SRV_SERVICE_NAME),
                o.integer(UriOption.SRV_MAX_HOSTS, 0), o);
    }

    /** The SRV name asked: {@code _<serviceName>._tcp.<host>}. */
    public String srvName() {
        return "_" + serviceName + "._tcp." + host;
    }
}
