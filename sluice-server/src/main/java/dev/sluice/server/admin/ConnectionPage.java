package dev.sluice.server.admin;

import java.util.List;

/**
 * One page of connections.
 *
 * @param rows       the page's rows, in the query's order
 * @param total      rows matching the filters (all pages; the cursor counts as a filter)
 * @param nextOffset the offset of the next page, or -1 when this is the last
 * @param nextCursor the keyset cursor of the next page (its last row's id) when sorted by connectionId, else null
 */
public record ConnectionPage(List<ConnectionView> rows, int total, int nextOffset, String nextCursor) {
}
