package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;

/**
 * OP_COMPRESSED on a connection to an upstream host, both directions, so nothing behind it sees a
 * compressed frame.
 *
 * <p>Outbound, once the handshake agreed on a compressor ({@link #use}), a request is compressed with
 * it unless its command must never be ({@link OpCompressed#isCompressible}: handshake and
 * authentication). Inbound, an OP_COMPRESSED reply becomes the plain frame it wraps. A reply that
 * declares more than {@code maxUpstreamReplyBytes} once decompressed is refused before anything is
 * decompressed, with a {@link DecompressedTooLongException}; any other bad one raises a
 * {@link DecoderException} (a {@link WireProtocolException} as a rule). Both reach
 * {@code exceptionCaught} of the handler behind.
 *
 * <p>One instance per connection; replies and writes run on its event loop.
 */
public final class UpstreamCompression extends ChannelDuplexHandler {
    /** The setting named when a reply is too large once decompressed. */
    public static final String MAX_REPLY_SETTING = "maxUpstreamReplyBytes";

    private final int maxUpstreamReplyBytes;
    private volatile Compressor compressor;

    /** @param maxUpstreamReplyBytes the largest reply accepted once decompressed (maxUpstreamReplyBytes) */
    public UpstreamCompression(int maxUpstreamReplyBytes) {
        this.maxUpstreamReplyBytes = maxUpstreamReplyBytes;
    }

    /** Compresses later requests with {@code negotiated} (null: none), as the handshake agreed. */
    public void use(Compressor negotiated) {
        this.compressor = negotiated;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame) || frame.readableBytes() < MessageHeader.LENGTH
                || MessageHeader.opCodeOf(frame) != OpCode.OP_COMPRESSED.code()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf plain;
        try {
            if (frame.readableBytes() >= OpCompressed.MIN_LENGTH) {
                long plainLength = OpCompressed.declaredPlainLength(frame);
                if (plainLength > maxUpstreamReplyBytes) {
                    throw new DecompressedTooLongException(plainLength, maxUpstreamReplyBytes, MAX_REPLY_SETTING);
                }
            }
            plain = OpCompressed.decompress(frame, maxUpstreamReplyBytes, ctx.alloc());
        } catch (DecoderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DecoderException(e.getMessage(), e);
        } finally {
            frame.release();
        }
        ctx.fireChannelRead(plain);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Compressor c = compressor;
        if (c == null || !(msg instanceof ByteBuf frame) || frame.readableBytes() < MessageHeader.LENGTH
                || MessageHeader.opCodeOf(frame) == OpCode.OP_COMPRESSED.code()
                || !OpCompressed.isCompressible(CommandName.of(frame))) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf compressed;
        try {
            compressed = OpCompressed.compress(frame, c, ctx.alloc());
        } finally {
            frame.release();
        }
        ctx.write(compressed, promise);
    }
}
