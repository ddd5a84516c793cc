package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OP_COMPRESSED on a client connection, both directions, so nothing behind it sees a compressed frame.
 *
 * <p>Inbound, an OP_COMPRESSED request becomes the plain frame it wraps (same requestId), checked
 * against {@code maxMessageSizeBytes} before anything is decompressed ({@link OpCompressed#decompress};
 * a bad one is a fatal {@link WireProtocolException} for the handler behind). Other frames pass as they are.
 *
 * <p>Outbound, a reply is compressed with the compressor its request used, as the compression spec
 * asks: an OP_MSG request that came compressed, expects a reply (no moreToCome) and runs a command
 * that may be compressed ({@link OpCompressed#isCompressible}) is remembered by its requestId; an
 * OP_MSG reply whose responseTo names it is compressed with the same compressor. A reply that says
 * moreToCome (an exhaust stream) passes the compressor on to the next reply, which answers it.
 * Replies to OP_QUERY (OP_REPLY) and to uncompressed requests go out plain.
 *
 * <p>Event-loop confined, one instance per connection.
 */
public final class ClientCompression extends ChannelDuplexHandler {
    /** Compressed requests remembered at most (a session holds a few dozen pipelined requests before it closes). */
    static final int MAX_REMEMBERED = 256;

    private final int maxMessageSizeBytes;
    /** requestId of a compressed request (or of an exhaust reply) -> the compressor its reply uses. */
    private final Map<Integer, Compressor> replyCompressors = new LinkedHashMap<>(4, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Compressor> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** @param maxMessageSizeBytes the largest request accepted once decompressed (maxMessageSizeBytes) */
    public ClientCompression(int maxMessageSizeBytes) {
        this.maxMessageSizeBytes = maxMessageSizeBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame) || frame.readableBytes() < MessageHeader.LENGTH
                || MessageHeader.opCodeOf(frame) != OpCode.OP_COMPRESSED.code()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf plain;
        Compressor compressor;
        try {
            plain = OpCompressed.decompress(frame, maxMessageSizeBytes, ctx.alloc());
            compressor = OpCompressed.compressorOf(frame); // known: decompress checked it
        } finally {
            frame.release();
        }
        remember(plain, compressor);
        ctx.fireChannelRead(plain);
    }

    private void remember(ByteBuf plain, Compressor compressor) {
        if (MessageHeader.opCodeOf(plain) != OpCode.OP_MSG.code() || plain.readableBytes() < OpMsg.MIN_LENGTH
                || (OpMsg.flags(plain) & OpMsg.MORE_TO_COME) != 0
                || !OpCompressed.isCompressible(CommandName.of(plain))) {
            return;
        }
        replyCompressors.put(MessageHeader.requestIdOf(plain), compressor);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (replyCompressors.isEmpty() || !(msg instanceof ByteBuf frame) || frame.readableBytes() < OpMsg.MIN_LENGTH
                || MessageHeader.opCodeOf(frame) != OpCode.OP_MSG.code()) {
            ctx.write(msg, promise);
            return;
        }
        Compressor compressor = replyCompressors.remove(MessageHeader.responseToOf(frame));
        if (compressor == null) {
            ctx.write(msg, promise);
            return;
        }
        if ((OpMsg.flags(frame) & OpMsg.MORE_TO_COME) != 0) {
            replyCompressors.put(MessageHeader.requestIdOf(frame), compressor); // the stream's next reply answers this one
        }
        ByteBuf compressed;
        try {
            compressed = OpCompressed.compress(frame, compressor, ctx.alloc());
        } finally {
            frame.release();
        }
        ctx.write(compressed, promise);
    }
}
