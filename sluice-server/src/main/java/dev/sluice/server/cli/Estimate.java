package dev.sluice.server.cli;

/**
 * The figures of {@code sluice estimate}.
 *
 * @param perClient         connections one client opens to the cluster directly
 * @param total             perClient x clients
 * @param limit             the cluster's connection limit, or 0 when none was given
 * @param reachedAtClients  the smallest client count whose total reaches the limit (0 without a limit)
 * @param sluicePerNode     connections per node that Sluice opens (its pool + its monitoring), per instance
 * @param throughSluice     connections the cluster sees through Sluice, whatever the client count
 * @param sluiceIncoming    connections the clients open to Sluice (it is one endpoint to them)
 */
public record Estimate(EstimateInput input, int perClient, long total, long limit, long reachedAtClients,
                       int sluicePerNode, long throughSluice, long sluiceIncoming) {

    public boolean hasLimit() {
        return limit > 0;
    }

    public boolean exceeded() {
        return hasLimit() && total > limit;
    }

    public boolean sluiceExceeded() {
        return hasLimit() && throughSluice > limit;
    }
}
