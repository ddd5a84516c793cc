package dev.sluice.server.route;

import dev.sluice.server.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;

/** Receives the outcome of a forwarded operation. Methods may run on any thread. */
public interface ForwardCallback {
    /** A reply frame for the client (ownership passes to the callee); {@code moreToCome} for exhaust streams. */
    void onReply(ByteBuf frame, boolean moreToCome);

    /** The operation failed upstream (or could not get a connection). */
    void onFailure(UpstreamException cause);

    /** A request that expects no reply (moreToCome) was written upstream. */
    void onSent();

    /** The host the operation was routed to, before a connection is borrowed. */
    default void onRouted(String host) {
    }
}
