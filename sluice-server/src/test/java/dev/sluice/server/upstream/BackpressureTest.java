package dev.sluice.server.upstream;

import io.netty.handler.ssl.SslClosedEngineException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureTest {

    private static UpstreamException failure(UpstreamException.Kind kind, Throwable cause) {
        return new UpstreamException(kind, "db1:27017", "failed", cause);
    }

    private static boolean labelled(Throwable t, boolean helloAnswered) {
        return Backpressure.label(t, helloAnswered) instanceof UpstreamException u && u.systemOverloaded();
    }

    @Test
    void networkErrorsAndTimeoutsBeforeTheHelloIsAnsweredAreLabelled() {
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, new ConnectException("refused")), false))
                .isTrue();
        assertThat(labelled(failure(UpstreamException.Kind.NETWORK_ERROR, null), false)).isTrue();
        assertThat(labelled(failure(UpstreamException.Kind.NETWORK_TIMEOUT, null), false)).isTrue();
        assertThat(labelled(new CompletionException(failure(UpstreamException.Kind.NETWORK_ERROR, null)), false))
                .isTrue();
        // the TLS handshake broken by I/O (the peer closed the connection) is one too
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, new ClosedChannelException()), false))
                .isTrue();
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE,
                new SslClosedEngineException("closed")), false)).isTrue();
        SSLHandshakeException byIo = new SSLHandshakeException("handshake interrupted");
        byIo.initCause(new java.io.IOException("Connection reset by peer"));
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, byIo), false)).isTrue();
    }

    @Test
    void failuresDuringAuthenticationAreNotLabelled() {
        assertThat(labelled(failure(UpstreamException.Kind.NETWORK_ERROR, null), true)).isFalse();
        assertThat(labelled(failure(UpstreamException.Kind.NETWORK_TIMEOUT, null), true)).isFalse();
    }

    @Test
    void failuresThatOverloadNeverCausesAreNotLabelled() {
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, new UnknownHostException("db1")), false))
                .isFalse();
        SSLHandshakeException badCertificate = new SSLHandshakeException("PKIX path building failed");
        badCertificate.initCause(new CertificateException("unable to find valid certification path"));
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, badCertificate), false)).isFalse();
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE,
                new SSLHandshakeException("Received fatal alert: handshake_failure")), false)).isFalse();
        // a hello answered with ok: 0, a reply that does not parse, a wrong password
        assertThat(labelled(failure(UpstreamException.Kind.HOST_UNREACHABLE, null), false)).isFalse();
        assertThat(labelled(failure(UpstreamException.Kind.PROTOCOL_ERROR, null), false)).isFalse();
        assertThat(labelled(failure(UpstreamException.Kind.AUTHENTICATION_FAILED, null), false)).isFalse();
    }

    @Test
    void aLabelledFailureKeepsItsKindHostMessageAndCause() {
        ConnectException refused = new ConnectException("refused");
        UpstreamException labelled = (UpstreamException) Backpressure.label(
                failure(UpstreamException.Kind.HOST_UNREACHABLE, refused), false);

        assertThat(labelled.kind()).isEqualTo(UpstreamException.Kind.HOST_UNREACHABLE);
        assertThat(labelled.host()).isEqualTo("db1:27017");
        assertThat(labelled.getMessage()).isEqualTo("failed");
        assertThat(labelled.getCause()).isSameAs(refused);
        assertThat(labelled.withBackpressureLabels()).isSameAs(labelled);
    }
}
