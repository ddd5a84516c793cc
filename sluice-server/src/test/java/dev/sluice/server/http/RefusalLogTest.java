package dev.sluice.server.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogTest {
    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

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

    @Test
    void atMostOneLinePerIntervalCountingTheRefusalsSinceTheLastOne() {
        TestClock clock = new TestClock();
        RefusalLog log = new RefusalLog(clock);

        assertThat(log.refused(3)).isEqualTo("[http] refused 1 connection: 3 HTTP connections already open"
                + " (httpMaxConnections=3; raise it in the YAML configuration if these clients are legitimate)");
        for (int i = 0; i < 500; i++) {
            clock.advance(Duration.ofMillis(10));
            assertThat(log.refused(3)).isNull();
        }
        clock.advance(RefusalLog.INTERVAL.minusSeconds(5));
        assertThat(log.refused(3)).startsWith("[http] refused 501 connections in the last 10 s: ")
                .contains("httpMaxConnections=3");
        assertThat(log.refused(3)).isNull();
        clock.advance(Duration.ofMinutes(5));
        assertThat(log.refused(3)).startsWith("[http] refused 2 connections in the last 300 s");
    }
}
