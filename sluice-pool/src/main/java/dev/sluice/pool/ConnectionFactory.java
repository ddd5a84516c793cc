package dev.sluice.pool;

import java.util.concurrent.CompletionStage;

/**
 * Opens and closes the connections a {@link ConnectionPool} manages. The pool never does I/O itself: everything
 * that touches the network happens here.
 *
 * @param <C> the connection type
 */
public interface ConnectionFactory<C> {

    /**
     * Opens a new connection. May complete asynchronously (e.g. a Netty connect + handshake); must not block for long,
     * because it is called from check-out threads and from the pool's maintenance thread. The stage completing
     * exceptionally (or this method throwing) counts as a failed establishment: the pool emits
     * {@link ConnectionClosedEvent.Reason#ERROR} and fails the check-out that asked for it with a
     * {@link ConnectionCreationException}. The factory is responsible for bounding establishment time
     * (connect and handshake timeouts).
     *
     * @param descriptor the id, address and generation of the connection to open
     * @return a stage completing with the established connection
     */
    CompletionStage<C> open(ConnectionDescriptor descriptor);

    /**
     * Closes a connection. Must not throw; should not block (hand slow teardown to another thread).
     *
     * @param connection the connection to close
     * @param reason     why the pool closes it
     */
    void close(C connection, ConnectionClosedEvent.Reason reason);
}
