package dev.sluice.server.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain's state and its phase, on a fake clock and a recording target. */
class DrainTest {
    private final AtomicLong now = new AtomicLong();
    private final Drain drain = new Drain(1_000, now::get, ms -> now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms)));

    /** Records what the drain does; work ends after {@code busyPolls} readings; hellos wait {@code helloPolls}. */
    private final class Recorder implements Drain.Target {
        final List<String> steps = new ArrayList<>();
        final AtomicInteger busyPolls;
        final AtomicInteger helloPolls;

        Recorder(int busyPolls, int helloPolls) {
            this.busyPolls = new AtomicInteger(busyPolls);
            this.helloPolls = new AtomicInteger(helloPolls);
        }

        @Override
        public void stopAccepting() {
            steps.add("stopAccepting");
        }

        @Override
        public DrainFigures figures() {
            boolean busy = busyPolls.getAndDecrement() > 0;
            return new DrainFigures(3, 0, busy ? 1 : 0, 0);
        }

        @Override
        public void quiesce() {
            steps.add("quiesce@" + TimeUnit.NANOSECONDS.toMillis(now.get()));
        }

        @Override
        public int waitingHellos() {
            return helloPolls.getAndDecrement() > 0 ? 1 : 0;
        }

        @Override
        public void logRunning() {
            steps.add("logRunning");
        }
    }

    @Test
    void stopsAcceptingThenWaitsForTheOpenCursorThenQuiesces() {
        Recorder target = new Recorder(3, 2);
        drain.run(target);
        assertThat(target.steps).containsExactly("stopAccepting", "quiesce@" + 3 * DrainWait.POLL_MS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(now.get())).isEqualTo(3 * DrainWait.POLL_MS + 20);
    }

    @Test
    void atTheGracePeriodNamesWhatRunsAndQuiescesAnyway() {
        Recorder target = new Recorder(Integer.MAX_VALUE, Integer.MAX_VALUE);
        drain.run(target);
        assertThat(target.steps).hasSize(3).startsWith("stopAccepting", "logRunning");
        assertThat(TimeUnit.NANOSECONDS.toMillis(now.get())).isLessThanOrEqualTo(1_000 + DrainWait.POLL_MS + Drain.QUIESCE_MS + 10);
    }

    @Test
    void theFirstRequestStartsTheStopAndReadinessIsWithdrawnFromThen() {
        assertThat(drain.draining()).isFalse();
        assertThat(drain.request("test")).isTrue();
        assertThat(drain.draining()).isTrue();
        assertThat(drain.request("again")).isFalse();
        assertThat(drain.beginStop()).isTrue();
        assertThat(drain.beginStop()).isFalse();
        assertThat(drain.stopped()).isNotDone();
        drain.markStopped();
        assertThat(drain.stopped()).isDone();
    }

    @Test
    void aStopWithoutARequestAlsoWithdrawsReadinessAndRefusesLaterRequests() {
        assertThat(drain.beginStop()).isTrue();
        assertThat(drain.draining()).isTrue();
        assertThat(drain.request("late")).isFalse();
    }
}
