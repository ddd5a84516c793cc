package dev.sluice.server.upstream;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.topology.SelectionSettings;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerSelector;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The shortcut answers only when selection has one possible answer, and only for the description it saw. */
class SelectionShortcutTest {
    private final SelectionShortcut shortcut = new SelectionShortcut(new ServerSelector(new SelectionSettings(15, 10_000)));

    private static ServerDescription server(String address, ServerType type, double rtt) {
        return new ServerDescription(ServerAddress.parse(address), type, null, OptionalDouble.of(rtt), 0,
                0L, 0, 21, null, null, null, null, Map.of(), "rs", null, null, null, null, null);
    }

    private static TopologyDescription topology(TopologyType type, ServerDescription... servers) {
        Map<ServerAddress, ServerDescription> map = new LinkedHashMap<>();
        for (ServerDescription s : servers) {
            map.put(s.address(), s);
        }
        return new TopologyDescription(type, "rs", null, null, map, true, null, null);
    }

    @Test
    void writesGoToThePrimaryAndTheAnswerFollowsTheDescription() {
        TopologyDescription before = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_PRIMARY, 5), server("b:27017", ServerType.RS_SECONDARY, 5));
        assertThat(shortcut.sole(before, OperationKind.WRITE, null, null).address().host()).isEqualTo("a");
        assertThat(shortcut.sole(before, OperationKind.WRITE, null, List.of()).address().host()).isEqualTo("a");
        TopologyDescription after = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_SECONDARY, 5), server("b:27017", ServerType.RS_PRIMARY, 5));
        assertThat(shortcut.sole(after, OperationKind.WRITE, null, null).address().host())
                .as("a new description is selected on again").isEqualTo("b");
    }

    @Test
    void noAnswerWhenSeveralServersQualifyOrSomeAreToBeAvoided() {
        TopologyDescription t = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_PRIMARY, 5), server("b:27017", ServerType.RS_SECONDARY, 5),
                server("c:27017", ServerType.RS_SECONDARY, 6));
        ReadPreference nearest = new ReadPreference(ReadPreferenceMode.NEAREST, List.of(), OptionalLong.empty());
        assertThat(shortcut.sole(t, OperationKind.READ, nearest, null)).as("three in the window").isNull();
        assertThat(shortcut.sole(t, OperationKind.READ, nearest, null)).as("remembered as no answer").isNull();
        assertThat(shortcut.sole(t, OperationKind.WRITE, null, List.of(ServerAddress.parse("a:27017"))))
                .as("a deprioritized server takes the full selection").isNull();
        TopologyDescription none = topology(TopologyType.REPLICA_SET_NO_PRIMARY,
                server("b:27017", ServerType.RS_SECONDARY, 5));
        assertThat(shortcut.sole(none, OperationKind.WRITE, null, null)).as("no primary: the selection waits").isNull();
    }
}
