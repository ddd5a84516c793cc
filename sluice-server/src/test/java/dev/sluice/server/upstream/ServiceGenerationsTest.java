package dev.sluice.server.upstream;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceGenerationsTest {
    @Test
    void clearingOneServiceLeavesTheOthersAndALateErrorOfAnOlderGenerationChangesNothing() {
        ServiceGenerations g = new ServiceGenerations();
        ObjectId a = new ObjectId();
        ObjectId b = new ObjectId();
        assertThat(g.clear(a, 0)).isTrue();
        assertThat(g.current(a)).isEqualTo(1);
        assertThat(g.current(b)).isZero();
        assertThat(g.clear(a, 0)).isFalse(); // a second connection of generation 0 failing too
        assertThat(g.current(a)).isEqualTo(1);
        assertThat(g.clear(a, 1)).isTrue();
        assertThat(g.current(a)).isEqualTo(2);
        assertThat(g.clearedServices()).isEqualTo(1);
    }
}
