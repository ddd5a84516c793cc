package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongSupplier;

/**
 * Splits the inbound byte stream into MongoDB wire messages.
 *
 * <p>As soon as the 4 bytes of {@code messageLength} are readable it checks
 * {@code 16 <= messageLength <= maxMessageSizeBytes}, before waiting for (or buffering) the body,
 * so a peer announcing a huge message costs nothing. Each complete message is passed on as one
 * {@link ByteBuf}: a retained slice holding the whole frame, header included, which the next
 * handler owns and must release. The opcode is not checked here (see {@link OpCode#fromCode}).
 *
 * <p>Bytes of an incomplete message are only what has arrived (nothing is allocated for a declared
 * length). They count against a shared {@link FrameBudget} ({@code maxBufferedFrameBytes}): past it
 * the connections holding the most are closed. A message whose bytes started arriving but are not
 * all in within {@code frameTimeoutMS} closes its connection ({@link StallListener}).
 *
 * <p>On a bad length it throws a fatal {@link WireProtocolException} and from then on discards
 * all input: the stream cannot be resynchronised and the connection is to be closed.
 */
public final class FrameDecoder extends ByteToMessageDecoder implements FrameBudget.Holder {

    /** The default limit of the proxy: the 48,000,000 bytes that mongod announces. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES = 48_000_000;

    /** Told when a partial message stalls past the timeout (the decoder closes the channel after). */
    public interface StallListener {
        void stalled(ChannelHandlerContext ctx, long heldBytes, long frameTimeoutMS);
    }

    /**
     * What every connection of one connector shares: the limits, the budget, the stall listener and the clock. One
     * object for all of them, not five fields in each decoder: a decoder is held by every idle client.
     */
    public static final class Limits {
        final int maxMessageSizeBytes;
        final FrameBudget budget;
        final long frameTimeoutNanos;
        final StallListener stallListener;
        final LongSupplier nanoTime;

        /**
         * @param maxMessageSizeBytes the largest message accepted (>= 16)
         * @param frameTimeoutMS      a partial message older than this closes the connection (0: never)
         * @param stallListener       told before such a close (may be null)
         */
        public Limits(int maxMessageSizeBytes, FrameBudget budget, long frameTimeoutMS, StallListener stallListener,
                      LongSupplier nanoTime) {
            if (maxMessageSizeBytes < MessageHeader.LENGTH) {
                throw new IllegalArgumentException(
                        "maxMessageSizeBytes: " + maxMessageSizeBytes + " (expected: >= " + MessageHeader.LENGTH + ")");
            }
            this.maxMessageSizeBytes = maxMessageSizeBytes;
            this.budget = budget;
            this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMS);
            this.stallListener = stallListener;
            this.nanoTime = nanoTime;
        }

        public int maxMessageSizeBytes() {
            return maxMessageSizeBytes;
        }
    }

    private final Limits limits;
    /** Bytes counted against the budget; a field updater, not an AtomicLong: one object less per connection. */
    private static final AtomicLongFieldUpdater<FrameDecoder> ACCOUNTED =
            AtomicLongFieldUpdater.newUpdater(FrameDecoder.class, "accounted");
    private volatile long accounted;
    private volatile boolean evicted;
    private volatile ChannelHandlerContext context;
    private boolean failed;
    private long partialSince;
    private ScheduledFuture<?> stallCheck;

    /** A decoder accepting messages of at most {@value #DEFAULT_MAX_MESSAGE_SIZE_BYTES} bytes. */
    public FrameDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE_BYTES);
    }

    /** A decoder accepting messages of at most {@code maxMessageSizeBytes} bytes (>= 16), no budget nor timeout. */
    public FrameDecoder(int maxMessageSizeBytes) {
        this(maxMessageSizeBytes, FrameBudget.unlimited(), 0, null, System::nanoTime);
    }

    /**
     * @param frameTimeoutMS a partial message older than this closes the connection (0: never)
     * @param stallListener  told before such a close (may be null)
     */
    public FrameDecoder(int maxMessageSizeBytes, FrameBudget budget, long frameTimeoutMS,
                        StallListener stallListener, LongSupplier nanoTime) {
        this(new Limits(maxMessageSizeBytes, budget, frameTimeoutMS, stallListener, nanoTime));
    }

    /** A decoder with limits shared by the connections of one connector. */
    public FrameDecoder(Limits limits) {
        this.limits = limits;
    }

    public int maxMessageSizeBytes() {
        return limits.maxMessageSizeBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || evicted) {
            in.skipBytes(in.readableBytes());
            hold(0);
            return;
        }
        int readable = in.readableBytes();
        if (readable < 4) {
            hold(readable);
            return;
        }
        int start = in.readerIndex();
        int messageLength = in.getIntLE(start);
        if (messageLength < MessageHeader.LENGTH || messageLength > limits.maxMessageSizeBytes) {
            failed = true;
            boolean requestIdKnown = readable >= 8;
            int requestId = requestIdKnown ? in.getIntLE(start + MessageHeader.REQUEST_ID_OFFSET) : 0;
            in.skipBytes(readable);
            hold(0);
            String message = messageLength < MessageHeader.LENGTH
                    ? "messageLength: " + messageLength + " (expected: >= " + MessageHeader.LENGTH + ")"
                    : "messageLength: " + messageLength + " (expected: <= " + limits.maxMessageSizeBytes
                            + ", maxMessageSizeBytes)";
            throw requestIdKnown
                    ? WireProtocolException.fatal(requestId, message)
                    : WireProtocolException.fatal(message);
        }
        if (readable < messageLength) {
            hold(readable);
            return;
        }
        out.add(in.readRetainedSlice(messageLength));
        hold(0); // decode runs again for any bytes left, and counts a partial message among them
    }

    /** Records the bytes of the partial message now held (0: none), for the budget and the stall timer. */
    private void hold(long bytes) {
        long before = accounted;
        if (bytes == before) {
            return;
        }
        if (before == 0) {
            partialSince = limits.nanoTime.getAsLong();
            armStallCheck();
        }
        if (evicted) {
            return;
        }
        ACCOUNTED.addAndGet(this, bytes - before);
        limits.budget.change(this, bytes - before, bytes);
    }

    private void armStallCheck() {
        ChannelHandlerContext ctx = context;
        if (limits.frameTimeoutNanos <= 0 || stallCheck != null || ctx == null) {
            return;
        }
        long due = Math.max(1, limits.frameTimeoutNanos - (limits.nanoTime.getAsLong() - partialSince));
        stallCheck = ctx.executor().schedule(this::checkStall, due, TimeUnit.NANOSECONDS);
    }

    private void checkStall() {
        stallCheck = null;
        ChannelHandlerContext ctx = context;
        long held = accounted;
        if (held == 0 || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        if (limits.nanoTime.getAsLong() - partialSince >= limits.frameTimeoutNanos) {
            if (limits.stallListener != null) {
                limits.stallListener.stalled(ctx, held, TimeUnit.NANOSECONDS.toMillis(limits.frameTimeoutNanos));
            }
            failed = true;
            ctx.channel().config().setAutoRead(false);
            ctx.close();
            return;
        }
        armStallCheck();
    }

    @Override
    public long heldBytes() {
        return accounted;
    }

    @Override
    public void evict(long budgetBytes) {
        evicted = true;
        limits.budget.release(this, ACCOUNTED.getAndSet(this, 0));
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            ctx.channel().config().setAutoRead(false);
            ctx.channel().close();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        giveBack();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        giveBack();
        super.channelInactive(ctx);
    }

    private void giveBack() {
        limits.budget.release(this, ACCOUNTED.getAndSet(this, 0));
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
    }
}
