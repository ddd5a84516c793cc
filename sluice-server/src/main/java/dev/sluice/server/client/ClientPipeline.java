package dev.sluice.server.client;

import dev.sluice.server.wire.ClientCompression;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * The handlers of one client connection after TLS, in order: frames in, then the {@link ClientSession}. Two
 * handlers, because each costs an idle client a pipeline context: OP_COMPRESSED ({@link ClientCompression},
 * named {@value #COMPRESSION}) is put between them by the session when its client sends the first compressed
 * request, and from then on decodes and encodes frames and counts their bytes as on the socket; before that the
 * session counts them itself.
 */
public final class ClientPipeline {
    private ClientPipeline() {
    }

    /** The name of the compression handler, once a client compresses. */
    static final String COMPRESSION = "compression";

    /** Adds the handlers to {@code pipeline}, named frames and session. */
    static void install(ChannelPipeline pipeline, FrameDecoder frames, SessionServices services, ClientSession session) {
        pipeline.addLast("frames", frames);
        pipeline.addLast("session", session);
    }

    /** The same handlers, in order (for an {@code EmbeddedChannel}). */
    public static ChannelHandler[] handlers(FrameDecoder frames, SessionServices services, ClientSession session) {
        return new ChannelHandler[] {frames, session};
    }
}
