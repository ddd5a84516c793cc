package dev.sluice.server.metrics;

import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.registry.ConnectionRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistorySamplerTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ConnectionRegistry registry = new ConnectionRegistry(clock);
    private final FakePoolDirectory pools = new FakePoolDirectory();

    @Test
    void defaultWindowHoldsTenMinutesAtTwoSeconds() {
        HistorySampler sampler = new HistorySampler(registry, pools, clock);
        assertThat(sampler.capacity()).isEqualTo(300);
        assertThat(sampler.points()).isEmpty();
    }

    @Test
    void samplesClientAndBackendFigures() {
        HistorySampler sampler = new HistorySampler(registry, pools, clock);
        FakeConnections fakes = new FakeConnections(registry);
        fakes.add("mongodb", "c:1");
        fakes.add("mongodb", "c:2");
        fakes.add("http", "c:3");
        pools.host("db1:27017", 3, 4, 0, 10, 0).host("db2:27017", 1, 1, 0, 10, 0);

        HistoryPoint point = sampler.sample();

        assertThat(point).isEqualTo(new HistoryPoint(T0, 2, 4, 5));
        assertThat(sampler.points()).containsExactly(point);
    }

    @Test
    void keepsOnlyTheLastWindowOldestFirst() {
        HistorySampler sampler = new HistorySampler(registry, pools, clock, Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        assertThat(sampler.capacity()).isEqualTo(5);
        for (int i = 0; i < 12; i++) {
            sampler.sample();
            clock.now = clock.now.plusSeconds(2);
        }
        List<HistoryPoint> points = sampler.points();
        assertThat(points).extracting(HistoryPoint::time).containsExactly(
                T0.plusSeconds(14), T0.plusSeconds(16), T0.plusSeconds(18), T0.plusSeconds(20), T0.plusSeconds(22));
    }

    @Test
    void rejectsAWindowShorterThanItsResolution() {
        assertThatThrownBy(() -> new HistorySampler(registry, pools, clock, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .hasMessageContaining("history window");
        assertThatThrownBy(() -> new HistorySampler(registry, pools, clock, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("history resolution");
    }
}
