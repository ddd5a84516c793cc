package dev.sluice.server.fleet;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerSignatureTest {
    private final byte[] secret = new byte[32];
    private final PeerSignature signature = new PeerSignature(secret);
    private final byte[] body = "{\"op\":\"list\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureVerifiesWithinTheWindowOnly() {
        String header = signature.sign(1_000_000, body);
        assertThat(signature.verify(header, body, 1_000_500, 1_000)).isNull();
        assertThat(signature.verify(header, body, 1_002_000, 1_000)).contains("more than 1000 ms");
    }

    @Test
    void anotherBodyOrSecretOrATamperedTimeIsRefused() {
        String header = signature.sign(1_000_000, body);
        assertThat(signature.verify(header, "{\"op\":\"kill\"}".getBytes(StandardCharsets.UTF_8), 1_000_000, 1_000))
                .isEqualTo("bad signature (another fleet secret?)");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(new PeerSignature(other).verify(header, body, 1_000_000, 1_000)).startsWith("bad signature");
        assertThat(signature.verify(header.replace("t=1000000", "t=1000001"), body, 1_000_000, 1_000))
                .startsWith("bad signature");
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        assertThat(signature.verify(null, body, 0, 1_000)).contains("no X-Sluice-Fleet-Signature");
        assertThat(signature.verify("t=12", body, 0, 1_000)).contains("malformed");
        assertThat(signature.verify("t=x,v1=AAAA", body, 0, 1_000)).contains("malformed");
        assertThat(signature.verify("t=0,v1=***", body, 0, 1_000)).contains("malformed");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new PeerSignature(new byte[16])).hasMessageContaining("expected: >= 32");
    }
}
