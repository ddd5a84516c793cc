package dev.sluice.server.http;

import dev.sluice.server.security.UserDirectory;

import java.util.Objects;

/**
 * Who may use the HTTP connector. {@link #open()}: everyone, as before authorization existed (auth
 * off). {@link #authenticated}: every request but the login page and the dashboard's static files
 * carries HTTP Basic credentials or a dashboard session of a user of {@code users}, and each route
 * needs the privilege its wire command needs ({@link RouteAccess}).
 *
 * @param authorization   whether callers must authenticate ({@code --auth})
 * @param users           the users, as the mongodb connector authenticates them
 * @param secureConnector the connector is HTTPS: the session cookie gets {@code Secure}
 */
public record HttpAccess(boolean authorization, UserDirectory users, boolean secureConnector) {

    public HttpAccess {
        Objects.requireNonNull(users, "users");
    }

    /** Authorization off: nobody authenticates, every caller may do everything. */
    public static HttpAccess open() {
        return new HttpAccess(false, UserDirectory.EMPTY, false);
    }

    /** Authorization on, with these users; {@code secureConnector} when the connector is HTTPS. */
    public static HttpAccess authenticated(UserDirectory users, boolean secureConnector) {
        return new HttpAccess(true, users, secureConnector);
    }
}
