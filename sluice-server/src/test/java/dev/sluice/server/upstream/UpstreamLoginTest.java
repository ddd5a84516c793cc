package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamLoginTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The ClientKey a client derives from its password: what Sluice recovers from its proof. */
    private static byte[] clientKey(ScramMechanism m, String user, String password) {
        return m.clientKey(m.saltedPassword(m.preparePassword(user, password), SALT, 4096));
    }

    @Test
    void thePassedThroughKeysAreThePasswordsKeysForTheStoredSaltAndIterations() {
        for (ScramMechanism m : ScramMechanism.values()) {
            byte[] clientKey = clientKey(m, "alice", "pw");
            byte[] serverKey = m.serverKey(m.saltedPassword(m.preparePassword("alice", "pw"), SALT, 4096));
            UpstreamLogin login = UpstreamLogin.of("alice", "a", m, clientKey, serverKey, SALT, 4096);

            ScramKeys.Keys passed = login.keys(m, SALT, 4096);
            ScramKeys.Keys derived = new PasswordKeys("alice", "pw", 1_000_000).keys(m, SALT, 4096);
            assertThat(MessageDigest.isEqual(passed.clientKey(), derived.clientKey())).as(m.name()).isTrue();
            assertThat(MessageDigest.isEqual(passed.serverKey(), derived.serverKey())).as(m.name()).isTrue();
        }
    }

    @Test
    void anotherSaltIterationCountOrMechanismIsRefusedSayingWhy() {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        UpstreamLogin login = UpstreamLogin.of("alice", "a", m, clientKey(m, "alice", "pw"), new byte[32], SALT, 4096);
        assertThatThrownBy(() -> login.keys(m, "another-salt-000".getBytes(), 4096))
                .hasMessageContaining("password changed");
        assertThatThrownBy(() -> login.keys(m, SALT, 8192)).hasMessageContaining("password changed");
        assertThatThrownBy(() -> login.keys(ScramMechanism.SCRAM_SHA_1, SALT, 4096))
                .hasMessageContaining("SCRAM-SHA-256");
    }

    @Test
    void nothingSecretIsPrintedAndPoolsAreKeyedByUserAndKey() {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        ScramCredentials stored = ScramCredentials.derive(m, "alice", "pw", 4096, new SecureRandom());
        byte[] key = clientKey(m, "alice", "pw");
        UpstreamLogin login = UpstreamLogin.of("alice", "a", m, key, stored.serverKeyBytes(), SALT, 4096);
        String printed = login.toString();
        assertThat(printed).contains("alice@a").contains("redacted")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(key))
                .doesNotContain(stored.serverKey());
        UpstreamLogin newPassword = UpstreamLogin.of("alice", "a", m, clientKey(m, "alice", "pw2"),
                stored.serverKeyBytes(), SALT, 4096);
        assertThat(newPassword.poolKey()).isNotEqualTo(login.poolKey()).startsWith("alice@a|");
        assertThat(UpstreamLogin.ANONYMOUS.anonymous()).isTrue();
        assertThat(UpstreamLogin.of(new Object())).as("not a client session: the service identity").isNull();
    }
}
