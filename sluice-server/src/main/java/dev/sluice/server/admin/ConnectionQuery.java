package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;

import java.util.Locale;

/**
 * One page of the connection list: which rows (filters), in which order, from where, how many.
 * Filters are ANDed; a null filter matches everything.
 *
 * @param limit      rows at most (already checked against the page-size setting by the caller)
 * @param offset     rows to skip after filtering and sorting
 * @param after      keyset cursor: with {@link ConnectionSort#CONNECTION_ID}, only ids after this one (in the
 *                   sort's direction); -1 for none. Unlike an offset it does not shift when connections come and go.
 * @param sort       the sort field
 * @param descending the direction
 * @param user       username, exact (case-insensitive)
 * @param app        appName, exact (case-insensitive)
 * @param host       the client's host (its address without the port), or its full address
 * @param connector  connector name (mongodb, http, https), exact
 * @param text       free text (case-insensitive substring of username, appName, connector, driver or userAgent),
 *                   as the dashboard's filter box
 */
public record ConnectionQuery(int limit, int offset, long after, ConnectionSort sort, boolean descending,
                              String user, String app, String host, String connector, String text) {

    public ConnectionQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        text = text == null || text.isBlank() ? null : text.trim().toLowerCase(Locale.ROOT);
    }

    /** The first {@code limit} connections, oldest first, unfiltered. */
    public static ConnectionQuery first(int limit) {
        return new ConnectionQuery(limit, 0, -1, ConnectionSort.CONNECTION_ID, false, null, null, null, null, null);
    }

    boolean matches(ConnectionEntry e) {
        if (after >= 0 && (descending ? e.sequence() >= after : e.sequence() <= after)) {
            return false;
        }
        if (connector != null && !connector.equals(e.connector())) {
            return false;
        }
        if (user != null && !user.equalsIgnoreCase(e.username())) {
            return false;
        }
        if (app != null && !app.equalsIgnoreCase(e.appName())) {
            return false;
        }
        if (host != null && !hostMatches(e.clientAddress())) {
            return false;
        }
        return text == null || contains(e.username()) || contains(e.appName()) || contains(e.connector())
                || contains(e.driver()) || contains(e.userAgent());
    }

    private boolean hostMatches(String address) {
        if (address == null) {
            return false;
        }
        if (address.equalsIgnoreCase(host)) {
            return true;
        }
        int colon = address.lastIndexOf(':');
        String bare = colon < 0 ? address : address.substring(0, colon);
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        return bare.equalsIgnoreCase(host);
    }

    private boolean contains(String value) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(text);
    }
}
