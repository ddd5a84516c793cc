package dev.sluice.server.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain's wait, on a fake clock: it ends when the work ends, or at the grace period with what is left. */
class DrainWaitTest {
    private final AtomicLong now = new AtomicLong();
    private final DrainWait.Pause pause = ms -> now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));

    private DrainWait over(List<DrainFigures> sequence) {
        Deque<DrainFigures> left = new ArrayDeque<>(sequence);
        return new DrainWait(now::get, pause, () -> left.size() > 1 ? left.poll() : left.peek());
    }

    @Test
    void endsAsSoonAsNoOperationCursorOrTransactionIsLeft() {
        DrainFigures end = over(List.of(new DrainFigures(5, 2, 3, 1), new DrainFigures(5, 0, 1, 1),
                new DrainFigures(5, 0, 0, 1), new DrainFigures(5, 0, 0, 0))).await(10_000);
        assertThat(end.idle()).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(now.get())).isEqualTo(3 * DrainWait.POLL_MS);
    }

    @Test
    void givesUpAtTheGracePeriodWithWhatIsLeft() {
        DrainFigures end = over(List.of(new DrainFigures(2, 1, 4, 0))).await(500);
        assertThat(end.idle()).isFalse();
        assertThat(end.cursors()).isEqualTo(4);
        assertThat(TimeUnit.NANOSECONDS.toMillis(now.get())).isBetween(500L, 500L + DrainWait.POLL_MS);
    }

    @Test
    void openCursorsWithNoClientLeftToUseThemDoNotHoldTheDrain() {
        assertThat(new DrainFigures(0, 0, 3, 1).idle()).isTrue();
        assertThat(new DrainFigures(1, 0, 3, 0).idle()).isFalse();
        assertThat(new DrainFigures(0, 1, 0, 0).idle()).isFalse();
        // a load-balanced client not closed yet (it is, once idle with no cursor): not idle
        assertThat(new DrainFigures(1, 0, 0, 0, 1).idle()).isFalse();
        assertThat(over(List.of(new DrainFigures(0, 0, 3, 0))).await(10_000).idle()).isTrue();
        assertThat(now.get()).isZero();
    }

    @Test
    void progressNamesEveryFigure() {
        assertThat(new DrainFigures(3, 2, 1, 0).describe())
                .isEqualTo("3 clients, 1 cursors, 0 transactions, 2 operations left");
    }
}
