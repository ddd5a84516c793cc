package dev.sluice.bench.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One connection of the storm, as a serverless function would use it: hello, one find, then idle
 * (kept open). Reports once, when the find's reply arrived or the connection failed. Event loop only.
 */
final class StormClient extends ChannelInboundHandlerAdapter {

    /** Told once per client. */
    interface Outcome {
        void served(long connectToReplyNanos);

        void failed(Throwable cause);
    }

    private static final byte[] HELLO = WireFrames.hello("storm");
    private static final byte[] FIND = WireFrames.find();

    private final Outcome outcome;
    private final long startedAt;
    private int step;
    private boolean reported;

    StormClient(Outcome outcome, long startedAt) {
        this.outcome = outcome;
        this.startedAt = startedAt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx, HELLO, 1);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (!WireFrames.isOk(frame)) {
                report(new IllegalStateException((step == 1 ? "hello" : "find") + " failed"));
                ctx.close();
            } else if (step == 1) {
                send(ctx, FIND, 2);
            } else if (!reported) {
                reported = true;
                outcome.served(System.nanoTime() - startedAt);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(new java.io.IOException("connection closed by Sluice after step " + step));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(cause);
        ctx.close();
    }

    void report(Throwable cause) {
        if (!reported) {
            reported = true;
            outcome.failed(cause);
        }
    }

    private void send(ChannelHandlerContext ctx, byte[] template, int nextStep) {
        step = nextStep;
        ByteBuf out = ctx.alloc().buffer(template.length).writeBytes(template);
        out.setIntLE(4, nextStep);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }
}
