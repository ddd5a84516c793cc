package dev.sluice.server.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two descriptions, as SDAM events and monitor actions: a ServerDescriptionChanged per server
 * whose description changed (the reporting server first), a ServerOpening/StartMonitoring per server added, a
 * ServerClosed/StopMonitoring per server removed. The TopologyDescriptionChanged event is the caller's, last.
 * {@code reporting} may be null (a change no server reported: an SRV rescan).
 *
 * @param events  the events, in publication order
 * @param actions StartMonitoring and StopMonitoring actions
 * @param added   servers added
 * @param removed servers removed
 */
record TopologyDiff(List<TopologyEvent> events, List<TopologyAction> actions, List<ServerAddress> added,
                    List<ServerAddress> removed) {

    static TopologyDiff between(TopologyDescription before, TopologyDescription after, ServerAddress reporting) {
        List<TopologyEvent> events = new ArrayList<>();
        List<TopologyAction> actions = new ArrayList<>();
        List<ServerAddress> added = new ArrayList<>();
        List<ServerAddress> removed = new ArrayList<>();
        Set<ServerAddress> order = new LinkedHashSet<>();
        if (reporting != null) {
            order.add(reporting);
        }
        order.addAll(after.servers().keySet());
        for (ServerAddress a : order) {
            ServerDescription was = before.server(a);
            ServerDescription now = after.server(a);
            if (was != null && now != null && !was.equivalentTo(now)) {
                events.add(new TopologyEvent.ServerDescriptionChanged(a, was, now));
            }
        }
        for (ServerAddress a : after.servers().keySet()) {
            if (!before.servers().containsKey(a)) {
                events.add(new TopologyEvent.ServerOpening(a));
                actions.add(new TopologyAction.StartMonitoring(a));
                added.add(a);
            }
        }
        for (ServerAddress a : before.servers().keySet()) {
            if (!after.servers().containsKey(a)) {
                events.add(new TopologyEvent.ServerClosed(a));
                actions.add(new TopologyAction.StopMonitoring(a));
                removed.add(a);
            }
        }
        return new TopologyDiff(events, actions, added, removed);
    }
}
