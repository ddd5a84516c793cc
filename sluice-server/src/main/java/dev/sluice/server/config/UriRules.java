package dev.sluice.server.config;

import java.util.List;
import java.util.Map;

/**
 * Rules across options and hosts that make a connection string invalid (an error, not a warning): conflicting TLS
 * options, directConnection, load-balanced mode, SRV-only options, SOCKS5 proxy options, pool sizes and read
 * preference (tags and maxStalenessSeconds need a mode other than primary).
 */
final class UriRules {

    /** Pairs that must not both appear (URI Options spec, "Conflicting TLS options", rules 1-7). */
    private static final UriOption[][] TLS_CONFLICTS = {
            {UriOption.TLS_INSECURE, UriOption.TLS_ALLOW_INVALID_CERTIFICATES},
            {UriOption.TLS_INSECURE, UriOption.TLS_ALLOW_INVALID_HOSTNAMES},
            {UriOption.TLS_INSECURE, UriOption.TLS_DISABLE_OCSP_ENDPOINT_CHECK},
            {UriOption.TLS_INSECURE, UriOption.TLS_DISABLE_CERTIFICATE_REVOCATION_CHECK},
            {UriOption.TLS_ALLOW_INVALID_CERTIFICATES, UriOption.TLS_DISABLE_OCSP_ENDPOINT_CHECK},
            {UriOption.TLS_ALLOW_INVALID_CERTIFICATES, UriOption.TLS_DISABLE_CERTIFICATE_REVOCATION_CHECK},
            {UriOption.TLS_DISABLE_OCSP_ENDPOINT_CHECK, UriOption.TLS_DISABLE_CERTIFICATE_REVOCATION_CHECK},
    };

    /** The max-staleness spec's smallestMaxStalenessSeconds. */
    static final int SMALLEST_MAX_STALENESS_SECONDS = 90;

    private UriRules() {
    }

    static void check(boolean srv, List<UriHost> hosts, UriOptions o) {
        for (UriOption[] pair : TLS_CONFLICTS) {
            if (o.given().contains(pair[0]) && o.given().contains(pair[1])) {
                throw error(pair[0].key() + " and " + pair[1].key() + " cannot both be given");
            }
        }
        if (o.bool(UriOption.DIRECT_CONNECTION, false) && (srv || hosts.size() > 1)) {
            throw error("directConnection=true needs exactly one host and a mongodb:// URI (got "
                    + (srv ? "mongodb+srv://" : hosts.size() + " hosts") + ")");
        }
        loadBalanced(srv, hosts, o);
        srv(srv, o);
        proxy(o);
        Integer max = o.integer(UriOption.MAX_POOL_SIZE);
        Integer min = o.integer(UriOption.MIN_POOL_SIZE);
        if (max != null && min != null && max > 0 && min > max) {
            throw error("minPoolSize " + min + " is larger than maxPoolSize " + max);
        }
        readPreference(o);
    }

    private static void loadBalanced(boolean srv, List<UriHost> hosts, UriOptions o) {
        if (!o.bool(UriOption.LOAD_BALANCED, false)) {
            return;
        }
        if (!srv && hosts.size() > 1) {
            throw error("loadBalanced=true needs exactly one host (got " + hosts.size() + ")");
        }
        if (o.bool(UriOption.DIRECT_CONNECTION, false)) {
            throw error("loadBalanced=true and directConnection=true cannot be combined");
        }
        if (o.has(UriOption.REPLICA_SET)) {
            throw error("loadBalanced=true and replicaSet cannot be combined");
        }
    }

    private static void srv(boolean srv, UriOptions o) {
        for (UriOption only : new UriOption[] {UriOption.SRV_MAX_HOSTS, UriOption.SRV_SERVICE_NAME}) {
            if (!srv && o.given().contains(only)) {
                throw error(only.key() + " is only allowed with a mongodb+srv:// URI");
            }
        }
        int srvMaxHosts = o.integer(UriOption.SRV_MAX_HOSTS, 0);
        if (srvMaxHosts > 0 && o.has(UriOption.REPLICA_SET)) {
            throw error("srvMaxHosts=" + srvMaxHosts + " and replicaSet cannot be combined");
        }
        if (srvMaxHosts > 0 && o.bool(UriOption.LOAD_BALANCED, false)) {
            throw error("srvMaxHosts=" + srvMaxHosts + " and loadBalanced=true cannot be combined");
        }
    }

    private static void proxy(UriOptions o) {
        Map<UriOption, Object> v = o.asMap();
        boolean host = o.given().contains(UriOption.PROXY_HOST);
        for (UriOption needsHost : new UriOption[] {UriOption.PROXY_PORT, UriOption.PROXY_USERNAME,
                UriOption.PROXY_PASSWORD}) {
            if (!host && o.given().contains(needsHost)) {
                throw error(needsHost.key() + " needs proxyHost");
            }
        }
        if (v.containsKey(UriOption.PROXY_USERNAME) != v.containsKey(UriOption.PROXY_PASSWORD)) {
            throw error("proxyUsername and proxyPassword must be given together");
        }
    }

    private static void readPreference(UriOptions o) {
        String mode = o.string(UriOption.READ_PREFERENCE);
        boolean primary = mode == null || mode.equals("primary");
        Integer staleness = o.integer(UriOption.MAX_STALENESS_SECONDS);
        if (staleness != null && staleness != -1) {
            if (staleness < SMALLEST_MAX_STALENESS_SECONDS) {
                throw error("maxStalenessSeconds " + staleness + " (expected: -1 or >= "
                        + SMALLEST_MAX_STALENESS_SECONDS + ")");
            }
            if (primary) {
                throw error("maxStalenessSeconds needs a readPreference other than primary (got "
                        + (mode == null ? "the default, primary" : mode) + ")");
            }
        }
        for (Map<String, String> tagSet : o.tagSets()) {
            if (primary && !tagSet.isEmpty()) {
                throw error("readPreferenceTags need a readPreference other than primary (got "
                        + (mode == null ? "the default, primary" : mode) + ")");
            }
        }
    }

    private static ConfigException error(String message) {
        return new ConfigException("connection string: " + message);
    }
}
