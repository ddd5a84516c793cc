package dev.sluice.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a listener is reachable beyond this machine, and the start-time rule that follows: the
 * HTTP connector (list, kill, drop) is not bound beyond loopback without authentication unless the
 * operator accepts it with {@code --allow-unauthenticated-remote-access}.
 */
public final class Exposure {
    private Exposure() {
    }

    /** True when every address {@code host} names is a loopback address ("localhost", 127.x, ::1). */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Refuses an HTTP bind beyond loopback unless authentication is on or the operator accepted the risk. */
    static void checkHttp(HostAndPort http, boolean allowUnauthenticatedRemoteAccess) {
        checkHttp(http, allowUnauthenticatedRemoteAccess, "http");
    }

    /** As {@link #checkHttp(HostAndPort, boolean)} for the connector configured by {@code option} (http or https). */
    static void checkHttp(HostAndPort http, boolean allowUnauthenticatedRemoteAccess, String option) {
        if (http == null || allowUnauthenticatedRemoteAccess || isLoopback(http.host())) {
            return;
        }
        throw new ConfigException(option + ": " + http + " is beyond loopback, and without --auth the " + option
                + " connector lets anyone "
                + "who reaches it list and kill connections and drop pools. Turn on authentication (--auth, YAML "
                + "security.authorization: enabled), bind it to 127.0.0.1, or accept the risk explicitly with "
                + "--allow-unauthenticated-remote-access (YAML: security.allowUnauthenticatedRemoteAccess: true)");
    }
}
