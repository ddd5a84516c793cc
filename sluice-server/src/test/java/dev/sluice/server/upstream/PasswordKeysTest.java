package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramMechanism;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordKeysTest {
    private static final ScramMechanism M = ScramMechanism.SCRAM_SHA_256;

    private static byte[] salt(int n) {
        return String.format("salt-%011d", n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anIterationCountOverTheBoundIsRefusedNamingTheSettingWithoutDeriving() {
        PasswordKeys keys = new PasswordKeys("svc", "pw", 10_000);
        assertThatThrownBy(() -> keys.keys(M, salt(1), Integer.MAX_VALUE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxUpstreamScramIterations (10000)").hasMessageContaining("2147483647");
        assertThat(keys.derivations()).isZero();
        keys.keys(M, salt(1), 10_000);
        assertThat(keys.derivations()).isEqualTo(1);
    }

    @Test
    void theSameSaltIsDerivedOnceAndNewSaltsDoNotGrowTheCacheWithoutEnd() {
        PasswordKeys keys = new PasswordKeys("svc", "pw", 10_000);
        var first = keys.keys(M, salt(0), 4_096);
        var again = keys.keys(M, salt(0), 4_096);
        assertThat(again.clientKey()).isEqualTo(first.clientKey());
        assertThat(keys.derivations()).isEqualTo(1);
        for (int i = 1; i <= 3 * PasswordKeys.MAX_CACHED; i++) {
            keys.keys(M, salt(i), 4_096);
        }
        assertThat(keys.cached()).isLessThanOrEqualTo(PasswordKeys.MAX_CACHED);
    }
}
