package dev.sluice.server.topology.srv;

/**
 * The Initial DNS Seedlist Discovery spec's check on the hosts an SRV look-up returns. The {@code {domainname}} of an
 * SRV host name with three or more labels is everything after its first label; of one with one or two labels it is the
 * whole name. A returned host must end with {@code "." + domainname}: it shares the parent domain, the dot excludes
 * look-alikes ({@code cluster.testmongodb.com} for {@code blogs.mongodb.com}), and for a short SRV name it must have at
 * least one more label (so {@code localhost} may not return {@code localhost}).
 */
final class SrvDomain {

    private final String srvHost;
    private final String domainName;

    private SrvDomain(String srvHost, String domainName) {
        this.srvHost = srvHost;
        this.domainName = domainName;
    }

    /** @param srvHost the URI's host name, lower case, no trailing dot */
    static SrvDomain of(String srvHost) {
        int labels = srvHost.split("\\.", -1).length;
        return new SrvDomain(srvHost, labels >= 3 ? srvHost.substring(srvHost.indexOf('.') + 1) : srvHost);
    }

    /** @param target a returned host name, lower case, no trailing dot */
    boolean accepts(String target) {
        return target.endsWith("." + domainName);
    }

    /** Why {@code target} is refused, for errors and logs. */
    String refusal(String target) {
        return "host '" + target + "' returned for '" + srvHost + "' is not in its parent domain '" + domainName + "'"
                + (domainName.equals(srvHost) ? " (an SRV name of fewer than 3 labels needs hosts one level below it)"
                        : "");
    }

    String domainName() {
        return domainName;
    }
}
