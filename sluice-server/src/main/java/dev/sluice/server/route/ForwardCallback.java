package dev.sluice.server.route;

import dev.sluice.server.upstream.ReplyListener;

/**
 * Receives the outcome of a forwarded operation: the same reply continuation as a backend connection's
 * ({@link ReplyListener#onReply} with the client's reply, {@link ReplyListener#onFailure} when the operation
 * failed upstream or could not get a connection), plus what only a routed operation has. Methods may run on any
 * thread.
 */
public interface ForwardCallback extends ReplyListener {
    /** A request that expects no reply (moreToCome) was written upstream. */
    void onSent();

    /** The host the operation was routed to, before a connection is borrowed. */
    default void onRouted(String host) {
    }
}
