package dev.sluice.server.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaneQueuesTest {

    @Test
    void aLaneWaitsLessOnlyWithMoreThanOneWaiterPerConnectionFewer() {
        assertThat(LaneQueues.waitsLess(0, 4, 0, 4)).isFalse();
        assertThat(LaneQueues.waitsLess(0, 4, 4, 4)).isFalse(); // one waiter per connection: not enough
        assertThat(LaneQueues.waitsLess(0, 4, 5, 4)).isTrue();
        assertThat(LaneQueues.waitsLess(4997, 4, 5000, 4)).isFalse(); // 1249.25 against 1250 each
        assertThat(LaneQueues.waitsLess(4990, 4, 5000, 4)).isTrue();
    }

    @Test
    void waitersAreComparedPerConnectionWhenTheLanesDifferInSize() {
        // 10 waiters on 5 connections (2 each) against 3 on 1 (3 each): not by more than one
        assertThat(LaneQueues.waitsLess(10, 5, 3, 1)).isFalse();
        // 10 on 5 (2 each) against 4 on 1 (4 each)
        assertThat(LaneQueues.waitsLess(10, 5, 4, 1)).isTrue();
        assertThat(LaneQueues.waitsLess(4, 1, 10, 5)).isFalse();
    }

    @Test
    void aLaneWithoutLimitCountsAsOneConnection() {
        assertThat(LaneQueues.waitsLess(0, 0, 2, 0)).isTrue();
        assertThat(LaneQueues.waitsLess(2, 0, 0, 0)).isFalse();
    }

    @Test
    void hugeQueuesDoNotOverflow() {
        assertThat(LaneQueues.waitsLess(Integer.MAX_VALUE - 10, Integer.MAX_VALUE, Integer.MAX_VALUE, 1)).isTrue();
    }
}
