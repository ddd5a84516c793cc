package dev.sluice.server.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostConnectionBudgetTest {
    @Test
    void slotsAreTakenUpToTheBoundAndGivenBack() {
        HostConnectionBudget budget = new HostConnectionBudget("db1:27017", 2);
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();
        assertThat(budget.exhausted().getMessage()).contains("db1:27017").contains("maxConnectionsPerHost=2")
                .contains("holds 2");
        assertThat(budget.exhausted().kind()).isEqualTo(UpstreamException.Kind.POOL_TIMEOUT);
        budget.release();
        assertThat(budget.open()).isEqualTo(1);
        assertThat(budget.tryAcquire()).isTrue();
    }

    @Test
    void zeroMeansNoBound() {
        HostConnectionBudget budget = new HostConnectionBudget("db1:27017", 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(budget.tryAcquire()).isTrue();
        }
    }
}
