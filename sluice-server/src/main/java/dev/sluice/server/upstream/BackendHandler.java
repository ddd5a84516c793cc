package dev.sluice.server.upstream;

import dev.sluice.server.wire.DecompressedTooLongException;
import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Hands each reply frame from upstream (already decompressed by
 * {@link dev.sluice.server.wire.UpstreamCompression}) to the connection's current request. Runs on its event loop.
 * A reply over maxUpstreamReplyBytes (declared, or once decompressed) fails that request with
 * {@link UpstreamException.Kind#REPLY_TOO_LARGE} and closes this one connection: it is no sign
 * that the host is unwell.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final BackendConnection connection;
    private final ReplyFrameDecoder frames;

    BackendHandler(BackendConnection connection, ReplyFrameDecoder frames) {
        this.connection = connection;
        this.frames = frames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (frame.readableBytes() < MessageHeader.LENGTH) {
                MessageHeader.read(frame, frame.readerIndex()); // throws, naming the header's size
            }
            boolean moreToCome = MessageHeader.opCodeOf(frame) == OpCode.OP_MSG.code() // read in place: no header object
                    && (OpMsg.flags(frame) & OpMsg.MORE_TO_COME) != 0;
            ByteBuf delivered = frame;
            frame = null;
            connection.deliver(delivered, moreToCome);
        } catch (RuntimeException e) {
            if (frame != null) {
                frame.release();
            }
            connection.fail(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR, connection.host(),
                    "invalid reply from upstream " + connection.host() + ": " + e.getMessage(), e));
        }
    }

    private UpstreamException tooLarge(String size) {
        String host = connection.host();
        return new UpstreamException(UpstreamException.Kind.REPLY_TOO_LARGE, host,
                "reply from upstream " + host + " is " + size + ", over maxUpstreamReplyBytes ("
                        + frames.maxUpstreamReplyBytes() + "): refused, and that backend connection closed "
                        + "(the host's pool is kept). Ask for less per reply (a smaller batchSize, a projection) "
                        + "or raise maxUpstreamReplyBytes");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, connection.host(),
                "connection to upstream " + connection.host() + " closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecompressedTooLongException d) {
            connection.fail(tooLarge(d.plainLength() + " bytes once decompressed"));
        } else if (cause instanceof TooLongFrameException) {
            connection.fail(tooLarge(frames.lastDeclaredLength() + " bytes (messageLength)"));
        } else if (cause instanceof javax.net.ssl.SSLException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            // TLS 1.3: the server checks Sluice's client certificate after the handshake completed on this side
            connection.fail(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, connection.host(),
                    "TLS with upstream " + connection.host() + " failed: " + UpstreamTls.describe(cause), cause));
        } else if (cause instanceof DecoderException) {
            connection.fail(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR, connection.host(),
                    "invalid reply from upstream " + connection.host() + ": " + cause.getMessage(), cause));
        } else {
            connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, connection.host(),
                    "I/O error on connection to upstream " + connection.host() + ": " + cause.getMessage(), cause));
        }
        ctx.close();
    }
}
