package dev.sluice.bench.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One connection of the storm, as a serverless function would use it: hello, one find, then idle
 * (kept open). With a {@link StormLogin}, the hello carries the first SCRAM step and a saslContinue
 * completes the login before the find. Reports once, when the find's reply arrived or the connection
 * failed. Event loop only.
 */
final class StormClient extends ChannelInboundHandlerAdapter {

    /** Told once per client. */
    interface Outcome {
        void served(long connectToReplyNanos);

        void failed(Throwable cause);
    }

    private static final byte[] HELLO = WireFrames.hello("storm");
    private static final byte[] FIND = WireFrames.find();

    private static final int HELLO_STEP = 1;
    private static final int LOGIN_STEP = 2;
    private static final int FIND_STEP = 3;

    private final Outcome outcome;
    private final long startedAt;
    private StormLogin login;
    private int step;
    private boolean reported;

    StormClient(Outcome outcome, long startedAt) {
        this(outcome, startedAt, null);
    }

    /** @param login the SCRAM login to run after the hello, or null for none */
    StormClient(Outcome outcome, long startedAt, StormLogin login) {
        this.outcome = outcome;
        this.startedAt = startedAt;
        this.login = login;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx, login == null ? HELLO : login.hello(), HELLO_STEP);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (!WireFrames.isOk(frame)) {
                report(new IllegalStateException((step == HELLO_STEP ? "hello" : step == LOGIN_STEP ? "saslContinue"
                        : "find") + " failed: " + WireFrames.body(frame)));
                ctx.close();
            } else if (step == HELLO_STEP && login != null) {
                send(ctx, login.clientFinal(WireFrames.body(frame)), LOGIN_STEP);
            } else if (step == LOGIN_STEP && !login.verified(WireFrames.body(frame))) {
                report(new IllegalStateException("the server's SCRAM signature does not verify"));
                ctx.close();
            } else if (step < FIND_STEP) {
                login = null; // the conversation's state is not kept while idle
                send(ctx, FIND, FIND_STEP);
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
