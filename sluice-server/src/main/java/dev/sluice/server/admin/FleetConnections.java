package dev.sluice.server.admin;

import java.util.List;

/**
 * Connection management across every Sluice in front of the same cluster (implemented by the fleet
 * package; admin only sees this interface). A failure to reach an instance is a
 * {@link RuntimeException} whose message says which instance and why.
 */
public interface FleetConnections {
    /** This instance's id in the fleet. */
    String selfId();

    /**
     * Every connection {@code scope} may see on every live instance, each naming its instance.
     *
     * @param unreachable receives one line per instance that did not answer
     */
    List<ConnectionView> list(CallerScope scope, String requester, List<String> unreachable);

    /** Kills connections held by {@code instance} with the caller's rights; one result per id. */
    List<KillResult> kill(String instance, List<String> ids, CallerScope scope, String requester);
}
