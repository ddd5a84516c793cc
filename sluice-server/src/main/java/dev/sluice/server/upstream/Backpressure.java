package dev.sluice.server.upstream;

import io.netty.handler.ssl.SslClosedEngineException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletionException;

/**
 * CMAP's backpressure: a network error or timeout while a new connection is being established (TCP connect, the TLS
 * handshake's I/O, the hello) may mean the server is overloaded, so it gets the {@code SystemOverloadedError} and
 * {@code RetryableError} labels and SDAM leaves the server and its pool alone. Not labelled: failures during
 * authentication (after the hello was answered), and errors that never come from overload: a DNS name that does not
 * resolve, a certificate that does not verify, a TLS alert, a hello answered with an error, a reply that does not
 * parse.
 */
final class Backpressure {

    private Backpressure() {
    }

    /**
     * @param failure       how the connection's set-up failed
     * @param helloAnswered whether the upstream had answered its hello (a later failure is authentication's)
     * @return {@code failure}, with the backpressure labels when they apply
     */
    static Throwable label(Throwable failure, boolean helloAnswered) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (helloAnswered || !(f instanceof UpstreamException e)) {
            return f;
        }
        return overloadLike(e) ? e.withBackpressureLabels() : e;
    }

    private static boolean overloadLike(UpstreamException e) {
        return switch (e.kind()) {
            case NETWORK_ERROR, NETWORK_TIMEOUT -> !neverFromOverload(e.getCause());
            // connect or TLS handshake failures carry their cause; a hello answered with ok: 0 has none
            case HOST_UNREACHABLE -> e.getCause() != null && !neverFromOverload(e.getCause());
            default -> false;
        };
    }

    /** A DNS failure, a certificate or TLS protocol failure (not TLS I/O): the same on every attempt. */
    private static boolean neverFromOverload(Throwable cause) {
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof UnknownHostException || t instanceof GeneralSecurityException) {
                return true;
            }
            if (t instanceof SSLException && !(t instanceof SslClosedEngineException)) {
                return !causedByIo(t.getCause());
            }
        }
        return false;
    }

    /** An I/O error other than TLS's own below a TLS exception: the connection broke during the handshake. */
    private static boolean causedByIo(Throwable cause) {
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof GeneralSecurityException) {
                return false;
            }
            if (t instanceof IOException && !(t instanceof SSLException)) {
                return true;
            }
        }
        return false;
    }
}
