package dev.sluice.server.topology;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Selection behaviour not covered by the spec files: staleness, validation, writes, the window bound. */
class ServerSelectorTest {

    private static final long HEARTBEAT = 10_000;
    private final ServerSelector selector = new ServerSelector(new SelectionSettings(15, HEARTBEAT));

    private static ServerDescription server(String address, ServerType type, double rtt, long lastUpdate,
                                            Long lastWrite) {
        return new ServerDescription(ServerAddress.parse(address), type, null, OptionalDouble.of(rtt), lastUpdate,
                lastWrite, 0, 21, null, null, null, null, Map.of(), "rs", null, null, null, null, null);
    }

    private static TopologyDescription topology(TopologyType type, ServerDescription... servers) {
        Map<ServerAddress, ServerDescription> map = new LinkedHashMap<>();
        for (ServerDescription s : servers) {
            map.put(s.address(), s);
        }
        return new TopologyDescription(type, "rs", null, null, map, true, null, null);
    }

    private static ReadPreference secondary(long maxStalenessSeconds) {
        return new ReadPreference(ReadPreferenceMode.SECONDARY, List.of(), OptionalLong.of(maxStalenessSeconds));
    }

    @Test
    void maxStalenessWithAPrimaryComparesEachSecondaryToThePrimary() {
        long now = 1_000_000;
        TopologyDescription t = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_PRIMARY, 5, now, now - 1_000),
                server("b:27017", ServerType.RS_SECONDARY, 5, now, now - 1_000 - 80_000),   // 90 s stale
                server("c:27017", ServerType.RS_SECONDARY, 5, now, now - 1_000 - 81_000),   // 91 s stale
                server("d:27017", ServerType.RS_SECONDARY, 5, now, null));                  // unknown: excluded
        assertThat(selector.suitableServers(t, OperationKind.READ, secondary(90), Set.of()))
                .extracting(s -> s.address().host()).containsExactly("b");
        assertThat(selector.suitableServers(t, OperationKind.READ, secondary(120), Set.of()))
                .extracting(s -> s.address().host()).containsExactly("b", "c");
    }

    @Test
    void maxStalenessWithoutAPrimaryComparesToTheFreshestSecondary() {
        TopologyDescription t = topology(TopologyType.REPLICA_SET_NO_PRIMARY,
                server("b:27017", ServerType.RS_SECONDARY, 5, 0, 200_000L),
                server("c:27017", ServerType.RS_SECONDARY, 5, 0, 200_000L - 80_000),
                server("d:27017", ServerType.RS_SECONDARY, 5, 0, 200_000L - 80_001));
        assertThat(selector.suitableServers(t, OperationKind.READ, secondary(90), Set.of()))
                .extracting(s -> s.address().host()).containsExactly("b", "c");
    }

    @Test
    void maxStalenessBelowHeartbeatPlusIdleWritePeriodIsRefusedForReplicaSets() {
        ServerSelector slowHeartbeat = new ServerSelector(new SelectionSettings(15, 100_000));
        TopologyDescription rs = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_PRIMARY, 5, 0, 0L));
        assertThatThrownBy(() -> slowHeartbeat.suitableServers(rs, OperationKind.READ, secondary(100), Set.of()))
                .isInstanceOfSatisfying(ReadPreferenceException.class, e -> assertThat(e.code()).isEqualTo(160))
                .hasMessageContaining("at least 110").hasMessageContaining("heartbeatFrequencyMS 100000");
        TopologyDescription sharded = topology(TopologyType.SHARDED, server("m:27017", ServerType.MONGOS, 5, 0, null));
        assertThat(slowHeartbeat.suitableServers(sharded, OperationKind.READ, secondary(100), Set.of()))
                .as("mongos applies the staleness itself").hasSize(1);
    }

    @Test
    void writesNeedThePrimaryWhateverTheReadPreference() {
        TopologyDescription t = topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                server("a:27017", ServerType.RS_PRIMARY, 50, 0, null),
                server("b:27017", ServerType.RS_SECONDARY, 1, 0, null));
        assertThat(selector.suitableServers(t, OperationKind.WRITE, ReadPreference.of(ReadPreferenceMode.SECONDARY),
                Set.of())).extracting(s -> s.address().host()).containsExactly("a");
        assertThat(selector.suitableServers(t, OperationKind.READ, null, Set.of()))
                .as("no read preference means primary").extracting(s -> s.address().host()).containsExactly("a");
    }

    @Test
    void anIncompatibleTopologyFailsSelectionWithTheReason() {
        TopologyDescription t = new TopologyDescription(TopologyType.SHARDED, null, null, null, Map.of(), false,
                "Server at a:27017 reports wire version 6, but this version of Sluice requires at least 8 (MongoDB 4.2).",
                null);
        assertThatThrownBy(() -> selector.suitableServers(t, OperationKind.READ, ReadPreference.PRIMARY, Set.of()))
                .isInstanceOf(ServerSelectionException.class).hasMessageContaining("requires at least 8");
    }

    @Test
    void theLatencyWindowIncludesItsUpperBoundAndAThresholdOfZeroKeepsOnlyTheFastest() {
        TopologyDescription t = topology(TopologyType.SHARDED,
                server("g:27017", ServerType.MONGOS, 5, 0, null),
                server("h:27017", ServerType.MONGOS, 20, 0, null),
                server("i:27017", ServerType.MONGOS, 20.5, 0, null));
        List<ServerDescription> suitable = selector.suitableServers(t, OperationKind.READ, ReadPreference.PRIMARY, Set.of());
        assertThat(selector.inLatencyWindow(suitable)).extracting(s -> s.address().host()).containsExactly("g", "h");
        assertThat(new ServerSelector(new SelectionSettings(0, HEARTBEAT)).inLatencyWindow(suitable))
                .extracting(s -> s.address().host()).containsExactly("g");
    }

    @Test
    void thePowerOfTwoChoicesPrefersTheLessBusyServer() {
        TopologyDescription t = topology(TopologyType.SHARDED,
                server("g:27017", ServerType.MONGOS, 5, 0, null),
                server("h:27017", ServerType.MONGOS, 5, 0, null));
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            assertThat(selector.select(t, OperationKind.WRITE, null, Set.of(),
                    a -> a.host().equals("g") ? 7 : 1, random)).get()
                    .extracting(s -> s.address().host()).isEqualTo("h");
        }
    }

    @Test
    void settingsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> new SelectionSettings(-1, HEARTBEAT)).hasMessageContaining("localThresholdMS: -1");
        assertThatThrownBy(() -> new SelectionSettings(15, 100)).hasMessageContaining("heartbeatFrequencyMS: 100");
        assertThat(SelectionSettings.defaults().smallestMaxStalenessSeconds()).isEqualTo(90);
    }
}
