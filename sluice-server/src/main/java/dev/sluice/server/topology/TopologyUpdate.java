package dev.sluice.server.topology;

import java.util.List;

/**
 * The result of feeding the topology one event.
 *
 * @param previous the description before
 * @param current  the description after (the same object when the event was ignored)
 * @param actions  what the caller must do, in order
 */
public record TopologyUpdate(TopologyDescription previous, TopologyDescription current, List<TopologyAction> actions) {

    public TopologyUpdate {
        actions = List.copyOf(actions);
    }

    static TopologyUpdate unchanged(TopologyDescription d) {
        return new TopologyUpdate(d, d, List.of());
    }

    /**
     * True when the description changed in a way clients may care about (type, members, primary, ...; not round
     * trip times). The integrator bumps the topologyVersion it reports to its own clients in hello, which ends their
     * awaitable hellos, and wakes operations waiting for a suitable server.
     *
     * @return whether the change is significant
     */
    public boolean changed() {
        return !previous.equivalentTo(current);
    }

    /**
     * @param type an action class
     * @param <T>  the action type
     * @return the actions of that class, in order
     */
    public <T extends TopologyAction> List<T> actions(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
