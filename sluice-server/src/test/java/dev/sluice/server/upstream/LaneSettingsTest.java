package dev.sluice.server.upstream;

import dev.sluice.pool.PoolSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaneSettingsTest {

    private static List<PoolSettings> split(int max, int min, int loops) {
        return LaneSettings.split(PoolSettings.builder().maxPoolSize(max).minPoolSize(min).build(), loops);
    }

    @Test
    void lanesNeverHoldMoreThanTheHostsMaxPoolSize() {
        for (int max = 1; max <= 40; max++) {
            for (int min = 0; min <= max; min++) {
                for (int loops = 1; loops <= 8; loops++) {
                    List<PoolSettings> lanes = split(max, min, loops);
                    assertThat(lanes.stream().mapToInt(PoolSettings::maxPoolSize).sum()).isEqualTo(max);
                    assertThat(lanes.stream().mapToInt(PoolSettings::minPoolSize).sum()).isEqualTo(min);
                    assertThat(lanes).allSatisfy(l -> assertThat(l.maxPoolSize()).isPositive()
                            .isGreaterThanOrEqualTo(l.minPoolSize()));
                }
            }
        }
    }

    @Test
    void fiveConnectionsOverFourLoopsAreTwoOneOneOne() {
        assertThat(split(5, 0, 4)).extracting(PoolSettings::maxPoolSize).containsExactly(2, 1, 1, 1);
        assertThat(split(1, 0, 4)).extracting(PoolSettings::maxPoolSize).containsExactly(1);
    }

    @Test
    void unboundedHostGivesUnboundedLanes() {
        assertThat(split(0, 0, 3)).extracting(PoolSettings::maxPoolSize).containsExactly(0, 0, 0);
    }
}
