package dev.sluice.server.config;

/**
 * The userinfo of a connection string ("user:password" before the last '@'). Errors never echo it: it holds a
 * password.
 */
final class Userinfo {

    private Userinfo() {
    }

    /**
     * Splits and percent-decodes the userinfo.
     *
     * @return {username, password}; the password is null when there is no ':'
     * @throws ConfigException if it holds an unescaped '@', more than one ':', or a '%' not starting "%XX"
     */
    static String[] split(String userinfo) {
        if (userinfo.indexOf('@') >= 0) {
            throw error("contains an unescaped '@'");
        }
        int colon = userinfo.indexOf(':');
        if (colon >= 0 && userinfo.indexOf(':', colon + 1) >= 0) {
            throw error("contains more than one unescaped ':'");
        }
        if (!PercentDecoding.wellFormed(userinfo)) {
            throw error("contains a '%' that is not followed by two hex digits");
        }
        String user = userinfo.substring(0, colon < 0 ? userinfo.length() : colon);
        String password = colon < 0 ? null : userinfo.substring(colon + 1);
        return new String[] {PercentDecoding.decode(user, "user name"),
                password == null ? null : PercentDecoding.decode(password, "password")};
    }

    /** "user:****" (or "user" when there is no password), as written in the URI. */
    static String redact(String userinfo) {
        int colon = userinfo.indexOf(':');
        return colon < 0 ? userinfo : userinfo.substring(0, colon) + ":****";
    }

    private static ConfigException error(String problem) {
        return new ConfigException("connection string: the user name or password " + problem
                + "; user names and passwords must be percent-encoded (e.g. '@' as %40, ':' as %3A, '/' as %2F,"
                + " '%' as %25)");
    }
}
