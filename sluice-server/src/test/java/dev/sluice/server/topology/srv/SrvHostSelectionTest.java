package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SrvHostSelectionTest {

    private static final ServerAddress H1 = new ServerAddress("h1.sluice.test", 27017);
    private static final ServerAddress H2 = new ServerAddress("h2.sluice.test", 27017);
    private static final ServerAddress H3 = new ServerAddress("h3.sluice.test", 27017);
    private static final ServerAddress H4 = new ServerAddress("h4.sluice.test", 27017);
    private static final ServerAddress H5 = new ServerAddress("h5.sluice.test", 27017);
    private static final List<ServerAddress> ALL = List.of(H1, H2, H3, H4, H5);

    @Test
    void withoutALimitOrWithAHighOneEveryHostIsASeedInOrder() {
        assertThat(SrvHostSelection.initial(ALL, 0, new Random(1))).containsExactlyElementsOf(ALL);
        assertThat(SrvHostSelection.initial(ALL, 5, new Random(1))).containsExactlyElementsOf(ALL);
        assertThat(SrvHostSelection.initial(ALL, 9, new Random(1))).containsExactlyElementsOf(ALL);
    }

    @Test
    void aLowerLimitPicksThatManyAtRandom() {
        Set<ServerAddress> seen = new HashSet<>();
        Set<List<ServerAddress>> picks = new HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            List<ServerAddress> pick = SrvHostSelection.initial(ALL, 2, new Random(seed));
            assertThat(pick).hasSize(2).doesNotHaveDuplicates().isSubsetOf(ALL);
            seen.addAll(pick);
            picks.add(pick);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(picks.size()).isGreaterThan(5);
    }

    @Test
    void aRescanRemovesHostsGoneAndAddsNewOnesLeavingTheOthers() {
        SrvHostChange c = SrvHostSelection.rescan(List.of(H1, H2), List.of(H2, H3), 0, new Random(1));
        assertThat(c.removed()).containsExactly(H1);
        assertThat(c.added()).containsExactly(H3);
        assertThat(c.hosts()).containsExactly(H2, H3);
        assertThat(SrvHostSelection.rescan(List.of(H1, H2), List.of(H2, H1), 0, new Random(1)).isEmpty()).isTrue();
    }

    @Test
    void aRescanUnderSrvMaxHostsAddsOnlyUpToTheLimit() {
        SrvHostChange full = SrvHostSelection.rescan(List.of(H1, H2), ALL, 2, new Random(1));
        assertThat(full.isEmpty()).as("already at srvMaxHosts: nothing added").isTrue();

        SrvHostChange refill = SrvHostSelection.rescan(List.of(H1, H2), List.of(H2, H3, H4, H5), 2, new Random(1));
        assertThat(refill.removed()).containsExactly(H1);
        assertThat(refill.added()).hasSize(1).isSubsetOf(H3, H4, H5);
        assertThat(refill.hosts()).hasSize(2).startsWith(H2);

        Set<ServerAddress> chosen = new HashSet<>();
        for (int seed = 0; seed < 30; seed++) {
            chosen.addAll(SrvHostSelection.rescan(List.of(H2), List.of(H2, H3, H4, H5), 2, new Random(seed)).added());
        }
        assertThat(chosen).as("new hosts are chosen at random").containsExactlyInAnyOrder(H3, H4, H5);
    }

    @Test
    void theSmallestTtlSetsTheIntervalButNeverBelowTheMinimum() {
        RescanIntervals i = RescanIntervals.of(10_000);
        assertThat(i.afterSuccess(5)).hasSeconds(60);
        assertThat(i.afterSuccess(-1)).hasSeconds(60);
        assertThat(i.afterSuccess(300)).hasSeconds(300);
        assertThat(i.afterFailure()).hasMillis(10_000);
    }
}
