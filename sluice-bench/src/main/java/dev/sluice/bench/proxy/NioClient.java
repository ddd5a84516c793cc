package dev.sluice.bench.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.HdrHistogram.Histogram;

/**
 * One connection of the event-loop client: hello on connect, then (once the window is open) one
 * find in flight at a time, the next sent from the previous reply's callback, until the window ends.
 * Runs on its channel's event loop only. Counts its operations in the window ({@link #ops}) and the longest
 * round trip it saw that started in the window, including one that ended after it ({@link #longestNanos}).
 */
final class NioClient extends Client {
    private final Phases phases;
    private final Runnable settled;
    private final byte[] hello = WireFrames.hello("nio");
    private final byte[] find = WireFrames.find();
    private ChannelHandlerContext ctx;
    private Window window;
    private int requestIds;
    private long sentAt;
    private boolean left;
    private boolean hasSettled;
    /** Operations recorded in the window (read after the client left). */
    long ops;
    /** The longest round trip started in the window, whenever it ended (read after the client left). */
    long longestNanos;

    NioClient(Phases phases) {
        this(phases, new Histogram(3), () -> { });
    }

    /**
     * A client that records into {@code shared} (used by its event loop only) and runs {@code settled} once, when
     * its hello is answered or it fails before that (to pace the opening of many connections).
     */
    NioClient(Phases phases, Histogram shared, Runnable settled) {
        super(shared);
        this.phases = phases;
        this.settled = settled;
    }

    /** The channel handler, placed after a frame decoder. */
    ChannelInboundHandlerAdapter handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext c) {
                ctx = c;
                send(hello);
            }

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ByteBuf frame = (ByteBuf) msg;
                try {
                    onReply(frame);
                } finally {
                    frame.release();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext c) {
                if (!left) {
                    error(new java.io.IOException("connection closed by the target"));
                    leave();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                error(cause);
                c.close();
            }
        };
    }

    /** Opens the window for this client (called on its event loop). */
    void begin(Window w) {
        if (left) {
            return;
        }
        window = w;
        send(find);
    }

    private void onReply(ByteBuf frame) {
        long t1 = System.nanoTime();
        if (window == null) {
            if (!WireFrames.isOk(frame)) {
                error(new IllegalStateException("hello failed"));
                ctx.close();
                return;
            }
            settle();
            phases.readyNoWait();
            return;
        }
        if (window.records(sentAt, t1)) {
            latencies.recordValue(t1 - sentAt);
            ops++;
        }
        if (sentAt >= window.start()) {
            longestNanos = Math.max(longestNanos, t1 - sentAt);
        }
        if (window.over(t1)) {
            leave();
            ctx.close();
            return;
        }
        send(find);
    }

    private void send(byte[] template) {
        WireFrames.setRequestId(template, ++requestIds);
        ByteBuf out = ctx.alloc().buffer(template.length).writeBytes(template);
        sentAt = System.nanoTime();
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    /** The connection could not be opened (called on its event loop). */
    void failedToConnect(Throwable cause) {
        error(cause);
        leave();
    }

    /** Called when the clients are cut off: an operation still unanswered counts with its age so far. */
    void outstandingAt(long now) {
        if (!left && window != null && sentAt >= window.start() && now > sentAt) {
            longestNanos = Math.max(longestNanos, now - sentAt);
        }
    }

    private void settle() {
        if (!hasSettled) {
            hasSettled = true;
            settled.run();
        }
    }

    private void leave() {
        settle();
        if (!left) {
            left = true;
            phases.leave();
        }
    }
}
