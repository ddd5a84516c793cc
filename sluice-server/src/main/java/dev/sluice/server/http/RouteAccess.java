package dev.sluice.server.http;

import dev.sluice.server.security.authz.ActionType;

/**
 * What each path needs when authorization is on: the same privileges as the wire command it
 * mirrors (DESIGN.md, Security interfaces), with mongod's action names on the cluster resource.
 * <ul>
 *   <li>nothing: the login page and its script, the dashboard's style and script (no data),
 *       {@code /api/login}, {@code /api/logout};</li>
 *   <li>{@code /} and {@code /index.html}: a session (or HTTP Basic); without one, the login page;</li>
 *   <li>authenticated, rows filtered by owner ({@code inprog} / {@code killop} for others'):
 *       {@code /api/connections}, {@code /api/connections/kill}, {@code DELETE /api/connections/{id}},
 *       {@code /api/session}, and any unknown path (so that its 404 says nothing to strangers);</li>
 *   <li>{@code dropConnections}: {@code /api/dropConnections}; {@code connPoolStats}:
 *       {@code /api/pools}, {@code /api/topology} and {@code /api/fleet}; {@code shutdown}: {@code /api/drain};
 *       {@code serverStatus}: {@code /api/history} and {@code /metrics}
 *       (the latter needs nothing with {@code httpMetricsWithoutAuth}).</li>
 * </ul>
 *
 * @param kind   which of the above
 * @param action for {@link Kind#ACTION}, the action needed on the cluster; else null
 */
record RouteAccess(Kind kind, ActionType action) {

    enum Kind { PUBLIC, DASHBOARD, AUTHENTICATED, ACTION }

    private static final RouteAccess PUBLIC = new RouteAccess(Kind.PUBLIC, null);
    private static final RouteAccess DASHBOARD = new RouteAccess(Kind.DASHBOARD, null);
    private static final RouteAccess AUTHENTICATED = new RouteAccess(Kind.AUTHENTICATED, null);

    static RouteAccess of(String path, boolean metricsWithoutAuth) {
        switch (path) {
            case "/app.js":
            case "/app.css":
            case "/login.html":
            case "/login.js":
            case LoginRoutes.LOGIN:
            case LoginRoutes.LOGOUT:
                return PUBLIC;
            case "/":
            case "/index.html":
                return DASHBOARD;
            case "/api/dropConnections":
                return new RouteAccess(Kind.ACTION, ActionType.DROP_CONNECTIONS);
            case "/api/pools":
            case "/api/topology":
            case "/api/fleet":
                return new RouteAccess(Kind.ACTION, ActionType.CONN_POOL_STATS);
            case FleetRoutes.DRAIN:
                return new RouteAccess(Kind.ACTION, ActionType.SHUTDOWN);
            case "/api/history":
                return new RouteAccess(Kind.ACTION, ActionType.SERVER_STATUS);
            case "/metrics":
                return metricsWithoutAuth ? PUBLIC : new RouteAccess(Kind.ACTION, ActionType.SERVER_STATUS);
            default:
                return AUTHENTICATED;
        }
    }

    /** The built-in roles that grant {@link #action()}, for the 403's message. */
    String rolesWithAction() {
        return action == ActionType.DROP_CONNECTIONS || action == ActionType.SHUTDOWN ? "hostManager or clusterAdmin"
                : "clusterMonitor or clusterAdmin";
    }
}
