package dev.sluice.server.fleet;

import java.util.List;

/**
 * How many pooled connections to each upstream host this instance may hold under a fleet-wide
 * connection budget per host.
 *
 * <p>The budget counts every connection a host sees from the fleet: each live instance's monitoring
 * connections ({@code monitorsPerHost}) and pooled connections. An instance never holds fewer than
 * {@code minPooled} pooled connections per host (one per event-loop lane). A headroom of
 * {@code monitorsPerHost + minPooled} is kept out of the shares so that an instance that has just
 * started (its monitors open at once, and it keeps its minimum while it waits for its share) fits
 * before the others have seen it and shrunk. So the host never sees more than the budget as long as at
 * most one instance joins per heartbeat interval.
 *
 * <p>An instance's share is the smaller of its fair part, {@code (budget - headroom) / live - monitors},
 * and what the others leave: {@code budget - headroom - sum(others' holding + monitors) - monitors}.
 * Others' holdings are what they published, never less than what they still hold (so shrinking
 * instances are counted at their old size until they really shrank) nor than their minimum (so a
 * newcomer that published nothing yet is counted at what it may already hold). An instance publishes a
 * larger size before it grows to it ({@link FleetMember}), so a published holding is never below what
 * the instance may hold.
 */
public final class BudgetShare {
    private BudgetShare() {
    }

    /**
     * @param budget          connections per host for the whole fleet (&gt; 0)
     * @param monitorsPerHost monitoring connections each instance keeps per host
     * @param minPooled       the fewest pooled connections per host an instance can run with
     * @param live            every live instance, this one included
     * @param selfId          this instance's id
     * @return the pooled connections this instance may hold per host; below {@code minPooled}: not yet its turn
     */
    public static int share(int budget, int monitorsPerHost, int minPooled, List<InstanceRecord> live, String selfId) {
        int headroom = monitorsPerHost + minPooled;
        int instances = 0;
        long othersHold = 0;
        boolean selfSeen = false;
        for (InstanceRecord r : live) {
            instances++;
            if (r.id().equals(selfId)) {
                selfSeen = true;
            } else {
                othersHold += Math.max(minPooled, r.holding()) + monitorsPerHost; // none holds fewer than its minimum
            }
        }
        if (!selfSeen) {
            instances++;
        }
        long usable = (long) budget - headroom;
        long fair = usable / instances - monitorsPerHost;
        long left = usable - othersHold - monitorsPerHost;
        return (int) Math.max(0, Math.min(fair, left));
    }
}
