package dev.sluice.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM starts a drain instead of ending the JVM at once: what Kubernetes and systemd send before they
 * kill. Where the JVM cannot handle it (another platform, {@code -Xrs}), the shutdown hook still closes
 * Sluice, draining the same way, and the exit status is the signal's.
 */
final class TerminateSignal {
    private static final Logger LOG = LoggerFactory.getLogger(TerminateSignal.class);

    private TerminateSignal() {
    }

    /** Runs {@code drain} on every SIGTERM; false when the signal cannot be handled here. */
    static boolean install(Runnable drain) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> drain.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("[sluice] SIGTERM cannot be handled in this JVM ({}); the shutdown hook drains instead", e.toString());
            return false;
        }
    }
}
