package dev.sluice.server.fleet;

import dev.sluice.server.config.FleetSettings;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection budget as the cluster sees it: heartbeats driven by hand against an in-memory {@code sluice.fleet},
 * and after every resize of any instance the connections all instances may hold (pool maximum plus monitors) are
 * added up. The budget must hold at every step, not only once the fleet has settled.
 */
class FleetMemberBudgetTest {
    private static final int BUDGET = 24;
    private static final int MONITORS = 2;
    private static final int MIN = 2;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final MemoryFleet fleet = new MemoryFleet();
    private final List<FakeInstance> instances = new ArrayList<>();
    private int worst;

    @Test
    void anInstanceThatGrowsHasClaimedTheNewSizeBeforeItsPoolsGrow() {
        FleetMember a = member("a");
        a.heartbeat(); // alone: grows from its minimum to its share
        assertThat(instances.get(0).maxPoolSize).isGreaterThan(MIN);
        assertThat(fleet.holding("a")).isGreaterThanOrEqualTo(instances.get(0).maxPoolSize);
        assertThat(instances.get(0).claimedBeforeEachGrowth).isTrue();
    }

    @Test
    void theBudgetHoldsAtEveryStepWhileInstancesJoinOneAfterTheOther() {
        FleetMember a = member("a");
        a.heartbeat();
        FleetMember b = member("b");
        b.heartbeat(); // a still holds its whole share: b stays at its minimum
        a.heartbeat(); // a shrinks to its fair part
        b.heartbeat(); // b grows into what a gave back
        FleetMember c = member("c"); // joins while b has just grown
        c.heartbeat();
        a.heartbeat();
        b.heartbeat();
        c.heartbeat();
        a.heartbeat();
        b.heartbeat();
        c.heartbeat();
        assertThat(worst).isLessThanOrEqualTo(BUDGET);
        // and the fleet settles at (24 - headroom 4) / 3 - 2 monitors = 4 pooled each
        assertThat(instances).allSatisfy(i -> assertThat(i.maxPoolSize).isEqualTo(4));
    }

    @Test
    void aNewcomerClaimingWhileAnotherInstanceDecidesLeavesItNoRoom() {
        FleetMember a = member("a");
        a.heartbeat();
        FleetMember b = member("b");
        b.heartbeat();
        a.heartbeat();
        a.heartbeat();
        b.heartbeat(); // a and b at 8 each
        FleetMember c = member("c");
        a.heartbeat();
        b.heartbeat();
        c.heartbeat(); // c waits at its minimum, a and b shrink to 4 at their next heartbeats
        a.heartbeat();
        FleetMember d = member("d");
        // c claims its share; d reads and decides in between
        fleet.afterNextClaimOf("c", d::heartbeat);
        b.heartbeat();
        c.heartbeat();
        for (int round = 0; round < 4; round++) {
            a.heartbeat();
            b.heartbeat();
            c.heartbeat();
            d.heartbeat();
        }
        assertThat(worst).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void twoInstancesDecidingAtOnceDoNotBothGrowIntoTheSameConnections() {
        FleetMember a = member("a");
        a.heartbeat();
        FleetMember b = member("b");
        b.heartbeat();
        a.heartbeat();
        a.heartbeat(); // a at its fair part (8) and has written it, b at its minimum (2)
        FleetMember c = member("c");
        // c's heartbeat runs between b's claim and b's second reading
        fleet.afterNextClaimOf("b", c::heartbeat);
        b.heartbeat();
        assertThat(fleet.hookRan()).isTrue();
        for (int round = 0; round < 4; round++) {
            a.heartbeat();
            b.heartbeat();
            c.heartbeat();
        }
        assertThat(worst).isLessThanOrEqualTo(BUDGET);
        assertThat(instances).allSatisfy(i -> assertThat(i.maxPoolSize).isEqualTo(4));
    }

    private FleetMember member(String id) {
        FakeInstance local = new FakeInstance(id);
        instances.add(local);
        FleetSettings settings = new FleetSettings(true, null, 1_000, 3_000, 2_000, 1 << 20, 100, BUDGET);
        FleetMember m = new FleetMember(settings, new FleetStore(fleet, 2_000), id, id + ":27017", null, "test", local,
                clock::get);
        return m;
    }

    private void checkBudget() {
        int total = 0;
        for (FakeInstance i : instances) {
            total += i.maxPoolSize + MONITORS;
        }
        worst = Math.max(worst, total);
    }

    /** One Sluice as the fleet sees it: its pools hold their maximum (they are loaded). */
    private final class FakeInstance implements LocalInstance {
        final String id;
        int maxPoolSize = 100; // configured; the member's constructor shrinks it to the minimum
        boolean claimedBeforeEachGrowth = true;

        FakeInstance(String id) {
            this.id = id;
        }

        @Override public int clients() { return 10; }
        @Override public int backendConnections() { return maxPoolSize; }
        @Override public int maxOpenPerHost() { return maxPoolSize; }
        @Override public boolean draining() { return false; }
        @Override public int configuredMaxPoolSize() { return 100; }
        @Override public int minPooledPerHost() { return MIN; }
        @Override public int monitorsPerHost() { return MONITORS; }

        @Override
        public void resizePools(int size) {
            if (size > maxPoolSize && fleet.holding(id) < size) {
                claimedBeforeEachGrowth = false;
            }
            maxPoolSize = size;
            checkBudget();
        }

        @Override
        public boolean shrinkToMinimum(long timeoutMS) {
            resizePools(MIN);
            return true;
        }
    }

    /** {@code sluice.fleet} and {@code sluice.fleetSecret} in memory: the commands FleetStore sends. */
    private final class MemoryFleet implements ClusterCommands {
        private final Map<String, BsonDocument> docs = new TreeMap<>();
        private BsonDocument secret;
        private String hookId;
        private Runnable hook;

        boolean hookRan() {
            return hookId != null && hook == null;
        }

        void afterNextClaimOf(String id, Runnable action) {
            hookId = id;
            hook = action;
        }

        int holding(String id) {
            BsonDocument d = docs.get(id);
            return d == null ? -1 : d.getInt32("holding").getValue();
        }

        @Override
        public CompletionStage<BsonDocument> run(String database, BsonDocument command) {
            clock.addAndGet(10);
            BsonDocument ok = new BsonDocument("ok", new BsonInt32(1));
            String name = command.getFirstKey();
            switch (name) {
                case "update" -> {
                    BsonDocument u = command.getArray("updates").get(0).asDocument().getDocument("u");
                    String id = u.getString("_id").getValue();
                    int before = holding(id);
                    docs.put(id, u);
                    if (hook != null && id.equals(hookId) && u.getInt32("holding").getValue() > before
                            && before >= 0) {
                        Runnable r = hook;
                        hook = null;
                        r.run();
                    }
                }
                case "find" -> {
                    BsonArray batch = new BsonArray();
                    if (command.getString("find").getValue().equals(FleetStore.SECRETS)) {
                        if (secret != null) {
                            batch.add(secret);
                        }
                    } else {
                        long since = command.getDocument("filter").getDocument("heartbeatAt").getDateTime("$gt").getValue();
                        for (BsonDocument d : docs.values()) {
                            if (d.getDateTime("heartbeatAt").getValue() > since) {
                                batch.add(d);
                            }
                        }
                    }
                    ok.append("cursor", new BsonDocument("firstBatch", batch));
                }
                case "insert" -> {
                    BsonValue doc = command.getArray("documents").get(0);
                    secret = doc.asDocument();
                }
                case "delete" -> docs.remove(command.getArray("deletes").get(0).asDocument().getDocument("q")
                        .getString("_id").getValue());
                default -> { }
            }
            return CompletableFuture.completedFuture(ok);
        }
    }
}
