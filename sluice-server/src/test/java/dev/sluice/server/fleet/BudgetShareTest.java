package dev.sluice.server.fleet;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetShareTest {
    private static final int MONITORS = 2;
    private static final int MIN = 2;

    private static InstanceRecord instance(String id, int holding) {
        return new InstanceRecord(id, id + ":27016", null, 0, 0, false, 0, 0, holding, "test");
    }

    @Test
    void aloneAnInstanceTakesTheBudgetLessItsMonitorsAndTheJoinHeadroom() {
        // 30 - headroom (2 + 2) = 26 usable; minus its own 2 monitors
        assertThat(BudgetShare.share(30, MONITORS, MIN, List.of(instance("a", 0)), "a")).isEqualTo(24);
    }

    @Test
    void threeInstancesShareEvenlyOnceTheOthersShrank() {
        List<InstanceRecord> live = List.of(instance("a", 6), instance("b", 6), instance("c", 6));
        assertThat(BudgetShare.share(30, MONITORS, MIN, live, "a")).isEqualTo(6);
    }

    @Test
    void aNewcomerWaitsUntilTheOthersPublishASmallerHolding() {
        List<InstanceRecord> live = List.of(instance("a", 24), instance("b", 0));
        assertThat(BudgetShare.share(30, MONITORS, MIN, live, "b")).isZero();
        assertThat(BudgetShare.share(30, MONITORS, MIN, live, "a")).isEqualTo(11);
        List<InstanceRecord> after = List.of(instance("a", 11), instance("b", 0));
        assertThat(BudgetShare.share(30, MONITORS, MIN, after, "b")).isEqualTo(11);
    }

    /**
     * The invariant behind the budget: whatever the order of heartbeats, the connections held plus
     * a joining instance's start (monitors + minimum) never exceed the budget.
     */
    @Test
    void theHostNeverSeesMoreThanTheBudgetWhileInstancesJoinOneByOne() {
        int budget = 40;
        List<InstanceRecord> live = new ArrayList<>();
        live.add(instance("i0", BudgetShare.share(budget, MONITORS, MIN, List.of(instance("i0", 0)), "i0")));
        for (int joined = 1; joined < 5; joined++) {
            String id = "i" + joined;
            live.add(instance(id, 0)); // it starts: monitors + its minimum, before anyone shrank
            assertThat(held(live)).isLessThanOrEqualTo(budget); // held() counts it at its minimum already
            // each instance in turn recomputes from what the others published, and publishes
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < live.size(); i++) {
                    InstanceRecord me = live.get(i);
                    int share = BudgetShare.share(budget, MONITORS, MIN, live, me.id());
                    int now = Math.max(MIN, share);
                    // holding stays the old size until the shrink really happened: model the worst case
                    live.set(i, instance(me.id(), Math.max(now, 0)));
                    assertThat(held(live)).isLessThanOrEqualTo(budget);
                }
            }
        }
    }

    private static int held(List<InstanceRecord> live) {
        int n = 0;
        for (InstanceRecord r : live) {
            n += MONITORS + Math.max(MIN, r.holding());
        }
        return n;
    }
}
