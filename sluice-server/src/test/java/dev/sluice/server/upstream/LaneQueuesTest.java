package dev.sluice.server.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaneQueuesTest {

    @Test
    void aLaneServesSoonerOnlyWhenItsLongestWaitIsShorterByMoreThanAnEighth() {
        assertThat(LaneQueues.waitsLess(0, 0)).isFalse();
        assertThat(LaneQueues.waitsLess(0, 1_000_000)).isTrue();
        assertThat(LaneQueues.waitsLess(880_000_000, 1_000_000_000)).isFalse(); // 12 % shorter: not enough
        assertThat(LaneQueues.waitsLess(870_000_000, 1_000_000_000)).isTrue();
        assertThat(LaneQueues.waitsLess(1_000_000_000, 870_000_000)).isFalse();
    }

    @Test
    void aLaneWithoutWaitersIsNeverLeftForAnother() {
        assertThat(LaneQueues.waitsLess(0, 0)).isFalse();
        assertThat(LaneQueues.waitsLess(5, 0)).isFalse();
    }
}
