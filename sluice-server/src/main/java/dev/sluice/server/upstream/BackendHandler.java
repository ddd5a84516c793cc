package dev.sluice.server.upstream;

import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpCompressed;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Hands each reply frame from upstream to the connection's current request. Runs on its event loop. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final int OP_MSG_MORE_TO_COME = 1 << 1;

    private final BackendConnection connection;
    private final int maxMessageSizeBytes;

    BackendHandler(BackendConnection connection, int maxMessageSizeBytes) {
        this.connection = connection;
        this.maxMessageSizeBytes = maxMessageSizeBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            MessageHeader header = MessageHeader.read(frame, frame.readerIndex());
            if (header.opCode() == OpCode.OP_COMPRESSED.code()) {
                ByteBuf plain = OpCompressed.decompress(frame, maxMessageSizeBytes, ctx.alloc());
                frame.release();
                frame = plain;
                header = MessageHeader.read(frame, frame.readerIndex());
            }
            boolean moreToCome = header.opCode() == OpCode.OP_MSG.code()
                    && (frame.getIntLE(frame.readerIndex() + 16) & OP_MSG_MORE_TO_COME) != 0;
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, connection.host(),
                "connection to upstream " + connection.host() + " closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, connection.host(),
                "I/O error on connection to upstream " + connection.host() + ": " + cause.getMessage(), cause));
        ctx.close();
    }
}
