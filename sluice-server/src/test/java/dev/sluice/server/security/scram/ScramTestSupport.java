package dev.sluice.server.security.scram;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Shared helpers of the SCRAM tests. */
final class ScramTestSupport {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ScramTestSupport() {
    }

    /** A server whose server nonces are always {@code serverNonce}. */
    static ScramServer server(String serverNonce) {
        ScramServerSettings settings = ScramServerSettings.defaults();
        return new ScramServer(settings, new UnknownUserCredentials(SECRET, settings), () -> serverNonce);
    }

    static CredentialLookup only(String user, ScramCredentials credentials) {
        return name -> name.equals(user) ? Optional.of(credentials) : Optional.empty();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(ScramStep step) {
        if (!(step instanceof ScramStep.Challenge)) {
            throw new AssertionError("expected a challenge, got " + step);
        }
        return new String(((ScramStep.Challenge) step).payload(), StandardCharsets.UTF_8);
    }
}
