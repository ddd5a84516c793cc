package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A MongoDB connection string ({@code mongodb://} or {@code mongodb+srv://}) parsed once, by the Connection String,
 * URI Options and Authentication specs: hosts, percent-decoded credentials, the auth database, typed options and the
 * warnings the parse produced (unknown keys, invalid values and repeated keys are warnings and the option is
 * ignored; malformed URIs and forbidden combinations are a {@link ConfigException} naming the problem, never
 * showing a password). Immutable. Parsing does not resolve DNS: a mongodb+srv:// host is the SRV name itself.
 */
public final class ConnectionString {

    /** The two schemes of the specs. */
    public enum Scheme {
        MONGODB("mongodb://"), MONGODB_SRV("mongodb+srv://");

        private final String prefix;

        Scheme(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private final Scheme scheme;
    private final List<UriHost> hosts;
    private final String username;
    private final String password;
    private final String database;
    private final UriOptions options;
    private final UriCredential credential;
    private final List<String> warnings;
    private final String redacted;

    private ConnectionString(Scheme scheme, List<UriHost> hosts, String username, String password, String database,
                             UriOptions options, UriCredential credential, List<String> warnings, String redacted) {
        this.scheme = scheme;
        this.hosts = hosts;
        this.username = username;
        this.password = password;
        this.database = database;
        this.options = options;
        this.credential = credential;
        this.warnings = List.copyOf(warnings);
        this.redacted = redacted;
    }

    /**
     * Parses {@code uri}.
     *
     * @throws ConfigException naming the problem when the URI is invalid
     */
    public static ConnectionString parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw error("empty (expected mongodb://HOST[:PORT][,...][/DATABASE][?OPTIONS] or mongodb+srv://NAME)");
        }
        Scheme scheme = uri.startsWith(Scheme.MONGODB.prefix) ? Scheme.MONGODB
                : uri.startsWith(Scheme.MONGODB_SRV.prefix) ? Scheme.MONGODB_SRV : null;
        if (scheme == null) {
            int end = uri.indexOf("://");
            throw error("scheme '" + (end < 0 ? "" : uri.substring(0, end)) + "' (expected mongodb:// or mongodb+srv://)");
        }
        String rest = uri.substring(scheme.prefix.length());
        int authorityEnd = firstOf(rest, '/', '?');
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        int at = authority.lastIndexOf('@');
        String userinfo = at < 0 ? null : authority.substring(0, at);
        String hostList = authority.substring(at + 1);
        String rawDatabase = "";
        String query = null;
        if (!tail.isEmpty()) {
            int q = tail.indexOf('?');
            rawDatabase = tail.startsWith("/") ? tail.substring(1, q < 0 ? tail.length() : q) : "";
            query = q < 0 ? null : tail.substring(q + 1);
        }
        if (hostList.isEmpty()) {
            throw error(rawDatabase.contains(".sock")
                    ? "no host before '/'; a Unix domain socket path must be percent-encoded (e.g. %2Ftmp%2Fmongodb-27017.sock)"
                    : "no host (expected at least one HOST[:PORT] after " + scheme.prefix + ")");
        }
        int stray = tail.indexOf('@');
        if (userinfo == null && stray >= 0 && (tail.indexOf('=') < 0 || stray < tail.indexOf('='))
                || rawDatabase.indexOf('@') >= 0) {
            throw error("'@' after the host list: a '/' or '?' in a user name or password must be percent-encoded"
                    + " (%2F, %3F)");
        }
        String[] credentials = userinfo == null ? null : Userinfo.split(userinfo);
        List<UriHost> hosts = UriHostParser.parse(hostList);
        if (scheme == Scheme.MONGODB_SRV) {
            srvHost(hosts);
        }
        String database = database(rawDatabase);
        List<String> warnings = new ArrayList<>();
        UriOptions options = UriOptionsParser.parse(query, warnings);
        UriRules.check(scheme == Scheme.MONGODB_SRV, hosts, options);
        String user = credentials == null ? null : credentials[0];
        String pass = credentials == null ? null : credentials[1];
        UriCredential credential = UriCredentials.build(user, pass, database, options);
        String redacted = scheme.prefix + (userinfo == null ? "" : Userinfo.redact(userinfo) + "@") + hostList
                + (tail.isEmpty() ? "" : Redaction.tail(tail));
        return new ConnectionString(scheme, hosts, user, pass, database, options, credential, warnings, redacted);
    }

    private static void srvHost(List<UriHost> hosts) {
        if (hosts.size() != 1) {
            throw error("mongodb+srv:// takes exactly one host name (got " + hosts.size() + ")");
        }
        UriHost h = hosts.get(0);
        if (h.port() != null) {
            throw error("mongodb+srv:// host '" + h.host() + "' cannot have a port (the port comes from DNS SRV)");
        }
        if (h.type() != UriHost.Type.HOSTNAME) {
            throw error("mongodb+srv:// needs a DNS name, not the " + h.type().specName() + " '" + h.host() + "'");
        }
    }

    private static String database(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        String db = PercentDecoding.decode(raw, "database '" + raw + "'");
        for (char c : new char[] {'/', '\\', ' ', '"', '$'}) {
            if (db.indexOf(c) >= 0) {
                throw error("database '" + db + "' contains '" + c + "' (not allowed in a database name: / \\ space \" $)");
            }
        }
        return db;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j < 0 ? s.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    private static ConfigException error(String message) {
        return new ConfigException("connection string: " + message);
    }

    public Scheme scheme() {
        return scheme;
    }

    public boolean isSrv() {
        return scheme == Scheme.MONGODB_SRV;
    }

    /** The hosts in URI order (for mongodb+srv://, the single SRV name). */
    public List<UriHost> hosts() {
        return hosts;
    }

    /** The percent-decoded user name, or null when the URI has no userinfo. */
    public String username() {
        return username;
    }

    /** The percent-decoded password, or null when the userinfo has no ':'. */
    public String password() {
        return password;
    }

    /** The percent-decoded database after the host list, or null. */
    public String database() {
        return database;
    }

    public UriOptions options() {
        return options;
    }

    /** The credential (Authentication spec rules applied), or null when the URI asks for no authentication. */
    public UriCredential credential() {
        return credential;
    }

    /** The warnings of the parse, in URI order: options ignored and why. Never contains a password. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Whether connections use TLS: tls/ssl when given; otherwise on for mongodb+srv:// and when any other tls*
     * option is given, off otherwise.
     */
    public boolean tlsEnabled() {
        Boolean tls = options.bool(UriOption.TLS);
        if (tls != null) {
            return tls;
        }
        if (isSrv()) {
            return true;
        }
        for (UriOption o : options.asMap().keySet()) {
            if (o != UriOption.TLS && o.key().startsWith("tls")) {
                return true;
            }
        }
        return false;
    }

    /** The URI with the password and secret option values replaced by "****" (safe to log). */
    public String redacted() {
        return redacted;
    }

    @Override
    public String toString() {
        return redacted;
    }
}
