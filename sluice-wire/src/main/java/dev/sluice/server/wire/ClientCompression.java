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
 * <p>It also tells a {@link Traffic} the size of every frame as it is on the socket (compressed ones
 * as sent), so that one handler per connection does both: an idle client costs one pipeline context,
 * and nothing else until it sends a compressed request (the table of remembered requests is created
 * then).
 *
 * <p>Event-loop confined, one instance per connection.
 */
public final class ClientCompression extends ChannelDuplexHandler {
    /** Compressed requests remembered at most (a session holds a few dozen pipelined requests before it closes). */
    static final int MAX_REMEMBERED = 256;

    /** Told the size of each whole frame in and out, as on the socket. Called on the event loop. */
    public interface Traffic {
        /** Counts nothing. */
        Traffic NONE = new Traffic() {
            @Override
            public void bytesIn(int bytes) {
            }

            @Override
            public void bytesOut(int bytes) {
            }
        };

        void bytesIn(int bytes);

        void bytesOut(int bytes);
    }

    private final int maxMessageSizeBytes;
    private final Traffic traffic;
    /** requestId of a compressed request (or of an exhaust reply) -> the compressor its reply uses; null until one. */
    private Map<Integer, Compressor> replyCompressors;

    /** @param maxMessageSizeBytes the largest request accepted once decompressed (maxMessageSizeBytes) */
    public ClientCompression(int maxMessageSizeBytes) {
        this(maxMessageSizeBytes, Traffic.NONE);
    }

    /**
     * @param maxMessageSizeBytes the largest request accepted once decompressed (maxMessageSizeBytes)
     * @param traffic             told each frame's size in and out
     */
    public ClientCompression(int maxMessageSizeBytes, Traffic traffic) {
        this.maxMessageSizeBytes = maxMessageSizeBytes;
        this.traffic = traffic;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf counted) {
            traffic.bytesIn(counted.readableBytes());
        }
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
        remembered().put(MessageHeader.requestIdOf(plain), compressor);
    }

    private Map<Integer, Compressor> remembered() {
        if (replyCompressors == null) {
            replyCompressors = new LinkedHashMap<>(4, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Compressor> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            };
        }
        return replyCompressors;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (replyCompressors == null || replyCompressors.isEmpty() || !(msg instanceof ByteBuf frame)
                || frame.readableBytes() < OpMsg.MIN_LENGTH || MessageHeader.opCodeOf(frame) != OpCode.OP_MSG.code()) {
            if (msg instanceof ByteBuf plain) {
                traffic.bytesOut(plain.readableBytes());
            }
            ctx.write(msg, promise);
            return;
        }
        Compressor compressor = replyCompressors.remove(MessageHeader.responseToOf(frame));
        if (compressor == null) {
            traffic.bytesOut(frame.readableBytes());
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
        traffic.bytesOut(compressed.readableBytes());
        ctx.write(compressed, promise);
    }
}
