package dev.sluice.server.upstream;

/**
 * Told of every error reply ({@code ok: 0}) a backend sends to a forwarded request (metrics). Called on the
 * backend connection's event loop: keep it cheap.
 */
@FunctionalInterface
public interface ReplyErrorListener {
    ReplyErrorListener NOOP = (host, code) -> { };

    /** {@code host} answered {@code ok: 0} with this {@code code} (0 when the reply had none). */
    void errorReply(String host, int code);
}
