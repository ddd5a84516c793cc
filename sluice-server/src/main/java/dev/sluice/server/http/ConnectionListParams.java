package dev.sluice.server.http;

import dev.sluice.server.admin.ConnectionQuery;
import dev.sluice.server.admin.ConnectionSort;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string of {@code GET /api/connections}: {@code limit} (1..httpMaxPageSize, default
 * httpMaxPageSize), {@code offset} or {@code cursor} (a connection id: the rows after it, with the default
 * sort), {@code sort} (a row field, {@code -field} for descending; default {@code connectionId}), and the
 * filters {@code user}, {@code app}, {@code host}, {@code connector}, {@code q}. Anything else is a 400 that
 * says what is accepted.
 */
final class ConnectionListParams {
    static final Set<String> NAMES = Set.of("limit", "offset", "cursor", "sort", "user", "app", "host", "connector",
            "q");

    private ConnectionListParams() {
    }

    static ConnectionQuery parse(Map<String, List<String>> params, int maxPageSize) {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (!NAMES.contains(p.getKey())) {
                throw ApiError.badRequest("unknown query parameter '" + p.getKey() + "' on /api/connections; "
                        + "accepted: limit, offset, cursor, sort, user, app, host, connector, q");
            }
            if (p.getValue().size() > 1) {
                throw ApiError.badRequest("query parameter '" + p.getKey() + "' given " + p.getValue().size()
                        + " times; give it once");
            }
        }
        int limit = maxPageSize;
        String limitValue = one(params, "limit");
        if (limitValue != null) {
            long asked = number(limitValue, "limit");
            if (asked < 1 || asked > maxPageSize) {
                throw ApiError.badRequest("limit: " + limitValue + " (expected: 1.." + maxPageSize
                        + ", the httpMaxPageSize setting); page through the rest with offset or cursor");
            }
            limit = (int) asked;
        }
        String sortValue = one(params, "sort");
        boolean descending = sortValue != null && sortValue.startsWith("-");
        ConnectionSort sort = ConnectionSort.CONNECTION_ID;
        if (sortValue != null) {
            sort = ConnectionSort.of(descending ? sortValue.substring(1) : sortValue);
            if (sort == null) {
                throw ApiError.badRequest("sort: '" + sortValue + "' is not a field; one of " + ConnectionSort.fields()
                        + ", with a leading '-' for descending");
            }
        }
        int offset = 0;
        String offsetValue = one(params, "offset");
        if (offsetValue != null) {
            long asked = number(offsetValue, "offset");
            if (asked < 0 || asked > Integer.MAX_VALUE) {
                throw ApiError.badRequest("offset: " + offsetValue + " (expected: >= 0)");
            }
            offset = (int) asked;
        }
        long after = -1;
        String cursor = one(params, "cursor");
        if (cursor != null) {
            if (sort != ConnectionSort.CONNECTION_ID) {
                throw ApiError.badRequest("cursor works with sort=connectionId (or -connectionId) only; "
                        + "use offset with sort=" + sortValue);
            }
            if (offsetValue != null) {
                throw ApiError.badRequest("give cursor or offset, not both");
            }
            int dash = cursor.lastIndexOf('-');
            after = dash <= 0 ? -1 : parseOrMinusOne(cursor.substring(dash + 1));
            if (after < 0) {
                throw ApiError.badRequest("cursor: '" + cursor + "' is not a connection id like \"mongodb-21\" "
                        + "(use the X-Next-Cursor header of the previous page)");
            }
        }
        return new ConnectionQuery(limit, offset, after, sort, descending, one(params, "user"), one(params, "app"),
                one(params, "host"), one(params, "connector"), one(params, "q"));
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    private static long number(String value, String name) {
        long n = parseOrMinusOne(value);
        if (n < 0 && !value.startsWith("-")) {
            throw ApiError.badRequest(name + ": '" + value + "' is not a number");
        }
        return n < 0 ? -1 : n;
    }

    private static long parseOrMinusOne(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }
}
