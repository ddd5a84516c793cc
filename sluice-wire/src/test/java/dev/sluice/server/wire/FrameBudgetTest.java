package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Incomplete messages count against one shared budget; past it the largest holders are closed. Stalls are closed. */
class FrameBudgetTest {

    /** The first {@code n} bytes of a message that announces {@code declared} bytes. */
    private static ByteBuf partial(int declared, int n) {
        ByteBuf b = Unpooled.buffer(n);
        b.writeIntLE(declared);
        b.writeZero(n - 4);
        return b;
    }

    @Test
    void holdsOnlyWhatArrivedAndGivesItBackWhenTheMessageCompletes() {
        FrameBudget budget = new FrameBudget(1 << 20, (h, b, m) -> { });
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(48_000_000, budget, 0, null, System::nanoTime));
        ch.writeInbound(partial(1000, 100));
        assertThat(budget.heldBytes()).isEqualTo(100);
        ch.writeInbound(Unpooled.buffer(900).writeZero(900));
        assertThat(budget.heldBytes()).isZero();
        ByteBuf frame = ch.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(1000);
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void pastTheBudgetTheConnectionsHoldingTheMostAreClosed() {
        List<Long> evicted = new ArrayList<>();
        FrameBudget budget = new FrameBudget(10_000, (h, held, max) -> evicted.add(held));
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(new EmbeddedChannel(new FrameDecoder(48_000_000, budget, 0, null, System::nanoTime)));
        }
        channels.get(0).writeInbound(partial(1_000_000, 2_000));
        channels.get(1).writeInbound(partial(1_000_000, 6_000));
        channels.get(2).writeInbound(partial(1_000_000, 1_000));
        assertThat(budget.heldBytes()).isEqualTo(9_000);
        assertThat(evicted).isEmpty();
        channels.get(3).writeInbound(partial(1_000_000, 3_000)); // 12,000 > 10,000: the 6,000 one goes
        assertThat(evicted).containsExactly(6_000L);
        assertThat(channels.get(1).isOpen()).isFalse();
        assertThat(channels.get(0).isOpen() && channels.get(2).isOpen() && channels.get(3).isOpen()).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(6_000);
        channels.get(0).close();
        assertThat(budget.heldBytes()).isEqualTo(4_000);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void aMessageStalledPastTheFrameTimeoutClosesItsConnection() {
        AtomicLong now = new AtomicLong();
        List<Long> stalls = new ArrayList<>();
        FrameBudget budget = new FrameBudget(1 << 20, (h, b, m) -> { });
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(48_000_000, budget, 1_000,
                (ctx, held, timeout) -> stalls.add(held), now::get));
        ch.writeInbound(partial(5_000, 500));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
        ch.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.buffer(100).writeZero(100)); // progress does not reset the message's clock
        assertThat(ch.isOpen()).isTrue();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        ch.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(stalls).containsExactly(600L);
        assertThat(ch.isOpen()).isFalse();
        assertThat(budget.heldBytes()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void completeMessagesNeverTripTheTimeout() {
        AtomicLong now = new AtomicLong();
        List<Long> stalls = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(48_000_000, FrameBudget.unlimited(), 1_000,
                (ctx, held, timeout) -> stalls.add(held), now::get));
        ch.writeInbound(partial(100, 50));
        ch.writeInbound(Unpooled.buffer(50).writeZero(50));
        ((ByteBuf) ch.readInbound()).release();
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(stalls).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
