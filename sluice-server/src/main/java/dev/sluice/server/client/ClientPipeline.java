package dev.sluice.server.client;

import dev.sluice.server.wire.ClientCompression;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * The handlers of one client connection after TLS, in order: frames in, then OP_COMPRESSED decoded and
 * encoded with the bytes counted as on the socket ({@link ClientCompression}, which tells the session
 * each frame's size), then the {@link ClientSession}, which sees and writes plain frames only. Three
 * handlers, because each costs an idle client a pipeline context.
 */
public final class ClientPipeline {
    private ClientPipeline() {
    }

    /** Adds the handlers to {@code pipeline}, named frames, compression, session. */
    static void install(ChannelPipeline pipeline, FrameDecoder frames, SessionServices services, ClientSession session) {
        pipeline.addLast("frames", frames);
        pipeline.addLast("compression", new ClientCompression(services.maxMessageSizeBytes(), session));
        pipeline.addLast("session", session);
    }

    /** The same handlers, in order (for an {@code EmbeddedChannel}). */
    public static ChannelHandler[] handlers(FrameDecoder frames, SessionServices services, ClientSession session) {
        return new ChannelHandler[] {frames, new ClientCompression(services.maxMessageSizeBytes(), session), session};
    }
}
