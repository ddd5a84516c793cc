package dev.sluice.server.http;

import dev.sluice.server.security.authz.UserName;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The credentials of an {@code Authorization: Basic base64(user:password)} header (RFC 7617, UTF-8).
 * The user is {@code name} (authentication database {@code admin}, as the shell's default) or
 * {@code name@db}, split at the last {@code @}: a user of admin whose name holds an {@code @} is
 * written {@code a@b@admin}. {@link #toString()} never shows the password.
 *
 * @param claimed the user name as sent (for the audit log)
 * @param user    the user it names
 */
record BasicCredentials(String claimed, UserName user, String password) {
    static final String ADMIN_DB = "admin";

    /** Why an Authorization header or a login form could not be read. */
    static final class Malformed extends Exception {
        private final String claimed;

        Malformed(String claimed, String message) {
            super(message, null, false, false);
            this.claimed = claimed;
        }

        /** The user name sent, when one could be read, else null. */
        String claimed() {
            return claimed;
        }
    }

    /**
     * Reads an {@code Authorization} header value.
     *
     * @throws Malformed naming what is wrong (another scheme, bad base64, no colon, empty user)
     */
    static BasicCredentials parse(String header) throws Malformed {
        String value = header.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("basic")) {
            throw new Malformed(null, "Authorization scheme '" + (scheme.length() > 20 ? scheme.substring(0, 20) + "…" : scheme)
                    + "' is not supported; use HTTP Basic (curl -u user:password) or log in on the dashboard");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Malformed(null, "Authorization: Basic credentials are not base64 of user:password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new Malformed(null, "Authorization: Basic credentials lack the ':' between user and password");
        }
        return of(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /**
     * Credentials from a user name ({@code name} or {@code name@db}) and a password.
     *
     * @throws Malformed when the user name or its database is empty
     */
    static BasicCredentials of(String claimed, String password) throws Malformed {
        int at = claimed.lastIndexOf('@');
        String name = at < 0 ? claimed : claimed.substring(0, at);
        String db = at < 0 ? ADMIN_DB : claimed.substring(at + 1);
        if (name.isEmpty() || db.isEmpty()) {
            throw new Malformed(claimed, "user name '" + claimed + "' is not 'user' or 'user@db'");
        }
        return new BasicCredentials(claimed, new UserName(name, db), password);
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<redacted>]";
    }
}
