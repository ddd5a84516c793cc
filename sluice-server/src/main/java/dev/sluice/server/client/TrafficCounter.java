package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionEntry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a client connection's bytes in and out (its registry entry's bytesIn/bytesOut) as they are
 * on the socket: whole frames, compressed ones as sent. Sits between the frame decoder and the
 * compression handler. Event-loop confined.
 */
final class TrafficCounter extends ChannelDuplexHandler {
    private final ClientSession session;

    TrafficCounter(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ConnectionEntry entry = session.entry();
        if (entry != null && msg instanceof ByteBuf frame) {
            entry.addBytesIn(frame.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ConnectionEntry entry = session.entry();
        if (entry != null && msg instanceof ByteBuf frame) {
            entry.addBytesOut(frame.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
