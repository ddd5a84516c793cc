package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client-facing TLS contexts, reloadable without a restart ({@code rotateCertificates}, SIGHUP):
 * a reload re-reads the files and swaps the contexts at once, so new connections use the new
 * certificate while established ones keep the one they negotiated. A reload that fails keeps the
 * old contexts and reports why. One reload runs at a time (as on mongod).
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsSettings settings;
    private final ChosenTlsProvider provider;
    private final Clock clock;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile TlsContexts current;

    private ServerTls(TlsSettings settings, ChosenTlsProvider provider, Clock clock, TlsContexts first) {
        this.settings = settings;
        this.provider = provider;
        this.clock = clock;
        this.current = first;
    }

    /** Loads the files at start; a {@link ConfigException} naming the option when they are not usable. */
    public static ServerTls load(TlsSettings settings, Clock clock) {
        return load(settings, ChosenTlsProvider.JDK, clock);
    }

    /** As above, with contexts of {@code provider} (net.tls.provider resolved). */
    public static ServerTls load(TlsSettings settings, ChosenTlsProvider provider, Clock clock) {
        TlsContexts first = TlsContextLoader.load(settings, provider.provider());
        ServerTls tls = new ServerTls(settings, provider, clock, first);
        tls.logLoaded("loaded", first.certificate());
        if (settings.requestsClientCertificates() && settings.allowInvalidCertificates()) {
            LOG.warn("[tls] net.tls.allowInvalidCertificates is on: client certificates are accepted without "
                    + "verification against net.tls.CAFile ({}); use it for testing only", settings.caFile());
        }
        return tls;
    }

    /** The context for a new mongodb connection. */
    public SslContext mongodb() {
        return current.mongodb();
    }

    /** The context for a new https connection. */
    public SslContext https() {
        return current.https();
    }

    /** The certificate new connections are given. */
    public X509Certificate certificate() {
        return current.certificate();
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The TLS implementation of the contexts (net.tls.provider resolved). */
    public ChosenTlsProvider provider() {
        return provider;
    }

    /**
     * Re-reads the files and, when they are usable, makes them the contexts of new connections.
     *
     * @param trigger what asked for it, for the log ("rotateCertificates from 127.0.0.1:5123", "SIGHUP")
     * @return the certificate now in use
     * @throws ConfigException naming the option and the cause; the previous contexts stay in use
     * @throws ReloadInProgressException when another reload is running
     */
    public X509Certificate reload(String trigger) {
        if (!reloading.tryLock()) {
            throw new ReloadInProgressException();
        }
        try {
            TlsContexts next;
            try {
                next = TlsContextLoader.load(settings, provider.provider());
            } catch (ConfigException e) {
                LOG.error("[tls] certificate rotation ({}) failed, the previous certificate stays in use: {}",
                        trigger, e.getMessage());
                throw e;
            }
            current = next;
            logLoaded("rotated (" + trigger + ")", next.certificate());
            return next.certificate();
        } finally {
            reloading.unlock();
        }
    }

    private void logLoaded(String what, X509Certificate certificate) {
        LOG.info("[tls] certificate {} ({}): {}", what, provider.name(), CertificateInfo.describe(certificate));
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("[tls] the certificate of {} is not valid now ({}): clients that verify it will refuse to connect",
                    settings.certificateKeyFile(), e.getMessage());
        }
    }

    /** Another reload is running. */
    public static final class ReloadInProgressException extends RuntimeException {
        ReloadInProgressException() {
            super("a certificate rotation is already running; try again when it has finished");
        }
    }
}
