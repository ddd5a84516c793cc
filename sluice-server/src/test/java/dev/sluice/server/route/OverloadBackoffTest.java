package dev.sluice.server.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OverloadBackoffTest {

    @Test
    void theCeilingDoublesFromTheBaseUpToTenSeconds() {
        assertThat(OverloadBackoff.delayMillis(1, 0.999_999)).isEqualTo(199);
        assertThat(OverloadBackoff.delayMillis(2, 0.999_999)).isEqualTo(399);
        assertThat(OverloadBackoff.delayMillis(6, 0.999_999)).isEqualTo(6_399);
        assertThat(OverloadBackoff.delayMillis(7, 0.999_999)).isEqualTo(9_999);
        assertThat(OverloadBackoff.delayMillis(1_000, 0.999_999)).isEqualTo(9_999);
    }

    @Test
    void theJitterScalesTheDelayAndIsClamped() {
        assertThat(OverloadBackoff.delayMillis(1, 0)).isZero();
        assertThat(OverloadBackoff.delayMillis(1, 0.5)).isEqualTo(100);
        assertThat(OverloadBackoff.delayMillis(3, 0.25)).isEqualTo(200);
        assertThat(OverloadBackoff.delayMillis(1, 7)).isEqualTo(200);
        assertThat(OverloadBackoff.delayMillis(1, -1)).isZero();
        assertThat(OverloadBackoff.delayMillis(-3, 0.5)).isEqualTo(50);
    }
}
