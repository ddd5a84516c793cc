package dev.sluice.server.security.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads the certificates, as operators expect of a daemon. Installed only while TLS is
 * configured (otherwise SIGHUP keeps ending the JVM as before); where the JVM cannot handle it
 * (another platform, {@code -Xrs}), a warning says to use {@code rotateCertificates} instead.
 */
public final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** Runs {@code reload} on every SIGHUP; false when the signal cannot be handled here. */
    public static boolean install(Runnable reload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("[tls] reload on SIGHUP failed: {}", e.getMessage());
                }
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("[tls] SIGHUP cannot be handled in this JVM ({}); rotate certificates with the rotateCertificates "
                    + "command on the admin database", e.toString());
            return false;
        }
    }
}
