package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionAdminTest {
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void currentOpRunningMillisComesFromTheInjectedNanoClock() {
        ConnectionAdmin admin = new ConnectionAdmin(registry, pools, nanos::get, AccessPolicy.EVERYONE_IS_ADMIN);
        ConnectionEntry entry = fakes.add("mongodb", "c:1");
        entry.operationStarted("aggregate", nanos.get());
        nanos.addAndGet(1_500_000_000L);

        ConnectionView view = admin.list().get(0);

        assertThat(view.currentOp()).isEqualTo("aggregate");
        assertThat(view.currentOpRunningMillis()).isEqualTo(1500);
    }

    @Test
    void anAccessPolicyLimitsWhatACallerSeesAndKills() {
        AccessPolicy ownUserOnly = (caller, target) -> Objects.equals(caller.username(), target.username());
        ConnectionAdmin admin = new ConnectionAdmin(registry, pools, nanos::get, ownUserOnly);
        ConnectionEntry alice = fakes.add("mongodb", "c:1");
        alice.username("alice");
        ConnectionEntry bob = fakes.add("mongodb", "c:2");
        bob.username("bob");

        assertThat(admin.list(alice)).extracting(ConnectionView::connectionId).containsExactly(alice.connectionId());
        assertThat(admin.list()).hasSize(2);
        KillReport report = admin.kill(List.of(bob.connectionId()), alice);
        assertThat(report.results()).containsExactly(KillResult.notFound(bob.connectionId()));
        assertThat(fakes.killed()).isEmpty();
    }

    @Test
    void dropReturnsTheHostsThatHadAPool() {
        pools.host("db1:27017", 0, 1, 0, 10, 0);
        ConnectionAdmin admin = new ConnectionAdmin(registry, pools);
        assertThat(admin.drop(List.of("db1:27017", "db9:27017", "bad"), "why")).containsExactly("db1:27017");
    }

    @Test
    void poolSummaryTotalsEveryHost() {
        pools.host("b:1", 1, 2, 3, 10, 4).host("a:1", 10, 20, 0, 100, 1);
        PoolSummary summary = new ConnectionAdmin(registry, pools).pools();
        assertThat(summary.totalInUse()).isEqualTo(11);
        assertThat(summary.totalAvailable()).isEqualTo(22);
        assertThat(summary.totalRefreshing()).isEqualTo(3);
        assertThat(summary.totalWaitQueueSize()).isEqualTo(5);
        assertThat(summary.hosts().keySet()).containsExactly("a:1", "b:1");
    }
}
