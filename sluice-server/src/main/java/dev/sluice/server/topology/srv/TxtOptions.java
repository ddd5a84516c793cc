package dev.sluice.server.topology.srv;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConnectionString;
import dev.sluice.server.config.UriOption;
import dev.sluice.server.config.UriOptions;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The default options a {@code mongodb+srv://} host's TXT record gives. The spec allows one TXT record (its strings
 * concatenated), in the URI's {@code key=value&...} form, with only {@code authSource}, {@code replicaSet} and
 * {@code loadBalanced}; anything else, or a malformed or invalid value, is an error. Values are typed by the URI
 * parser's own rules. The URI's options win over these.
 *
 * @param authSource   authSource, or null
 * @param replicaSet   replicaSet, or null
 * @param loadBalanced loadBalanced, or null
 * @param text         the record as found ("" when there is none)
 */
public record TxtOptions(String authSource, String replicaSet, Boolean loadBalanced, String text) {

    /** No TXT record. */
    public static final TxtOptions NONE = new TxtOptions(null, null, null, "");

    private static final Set<String> ALLOWED = Set.of("authsource", "replicaset", "loadbalanced");

    /**
     * @param host    the SRV host name (whose TXT record this is), for errors
     * @param records each TXT record's text, its strings concatenated
     * @throws SrvLookupException naming the host and the problem
     */
    static TxtOptions parse(String host, List<String> records) {
        if (records.isEmpty()) {
            return NONE;
        }
        if (records.size() > 1) {
            throw new SrvLookupException(host, "TXT look-up of '" + host + "': " + records.size()
                    + " TXT records (expected at most one: join the options with '&' in a single record)");
        }
        String text = records.get(0);
        if (text.isEmpty()) {
            return NONE;
        }
        for (String pair : text.split("[&;]", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw error(host, text, "option '" + pair + "' has no '=' (expected key=value)");
            }
            String key = pair.substring(0, eq);
            if (!ALLOWED.contains(key.toLowerCase(Locale.ROOT))) {
                throw error(host, text, "option '" + key + "' is not allowed in a TXT record (only authSource,"
                        + " replicaSet and loadBalanced)");
            }
        }
        ConnectionString cs;
        try {
            cs = ConnectionString.parse("mongodb://" + host + "/?" + text);
        } catch (ConfigException e) {
            throw error(host, text, e.getMessage());
        }
        if (!cs.warnings().isEmpty()) {
            throw error(host, text, String.join("; ", cs.warnings()));
        }
        UriOptions o = cs.options();
        return new TxtOptions(o.string(UriOption.AUTH_SOURCE), o.string(UriOption.REPLICA_SET),
                o.bool(UriOption.LOAD_BALANCED), text);
    }

    private static SrvLookupException error(String host, String text, String why) {
        return new SrvLookupException(host, "TXT record of '" + host + "' (\"" + text + "\"): " + why);
    }
}
