package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DescriptorBudgetTest {

    @Test
    void theDefaultIsLoweredToWhatTheOpenFileLimitLeaves() {
        // 20,000 files; one upstream host of 100 (+2 monitoring), embedded (x2), 256 HTTP, 128 own
        DescriptorBudget fit = DescriptorBudget.fit(20_000, 20_000, false, 1, 100, true, 256);
        assertThat(fit.lowered()).isTrue();
        assertThat(fit.reservedForSluice()).isEqualTo(204 + 256 + 128);
        assertThat(fit.effectiveMaxIncoming()).isEqualTo(20_000 - 588);
    }

    @Test
    void anExplicitValueThatDoesNotFitStopsSluiceNamingBothFigures() {
        assertThatThrownBy(() -> DescriptorBudget.fit(20_000, 20_000, true, 3, 50, false, 256))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxIncomingConnections: 20000 does not fit")
                .hasMessageContaining("open-file limit is 20000")
                .hasMessageContaining("at most " + (20_000 - 156 - 256 - 128));
    }

    @Test
    void aValueThatFitsIsKept() {
        DescriptorBudget fit = DescriptorBudget.fit(1_048_576, 20_000, false, 1, 100, false, 256);
        assertThat(fit.lowered()).isFalse();
        assertThat(fit.effectiveMaxIncoming()).isEqualTo(20_000);
        assertThat(DescriptorBudget.fit(-1, 20_000, true, 1, 100, false, 256).effectiveMaxIncoming()).isEqualTo(20_000);
    }

    @Test
    void noRoomAtAllIsRefused() {
        assertThatThrownBy(() -> DescriptorBudget.fit(300, 10, false, 1, 100, true, 256))
                .hasMessageContaining("no room for any client connection");
    }

    @Test
    void theProcessLimitIsReadOnUnix() {
        assertThat(DescriptorBudget.processOpenFileLimit()).isGreaterThan(0);
    }
}
