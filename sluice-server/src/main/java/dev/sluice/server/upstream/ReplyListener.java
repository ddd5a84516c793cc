package dev.sluice.server.upstream;

import io.netty.buffer.ByteBuf;

/** Receives the reply (or replies, for exhaust streams) to one request sent on a backend connection. */
public interface ReplyListener {
    /**
     * One reply frame, already decompressed. The listener owns {@code frame} and must release it.
     *
     * @param moreToCome true when the server will send another reply to the same request
     */
    void onReply(ByteBuf frame, boolean moreToCome);

    /** The request failed: I/O error, timeout, or the connection was closed. The connection is unusable. */
    void onFailure(UpstreamException cause);
}
