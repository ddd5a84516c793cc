package dev.sluice.server.security.scram;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 4013 §3 examples, and which mechanism applies SASLprep. */
class SaslPrepTest {

    @Test
    void rfc4013Examples() {
        assertThat(ScramMechanism.saslPrep("I\u00ADX")).as("soft hyphen mapped to nothing").isEqualTo("IX");
        assertThat(ScramMechanism.saslPrep("user")).isEqualTo("user");
        assertThat(ScramMechanism.saslPrep("USER")).as("case preserved").isEqualTo("USER");
        assertThat(ScramMechanism.saslPrep("\u00AA")).as("NFKC").isEqualTo("a");
        assertThat(ScramMechanism.saslPrep("\u2168")).as("ROMAN NUMERAL NINE, NFKC").isEqualTo("IX");
        assertThatThrownBy(() -> ScramMechanism.saslPrep("\u0007")).as("prohibited control character")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramMechanism.saslPrep("\u0627\u0031")).as("bidi rule")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiSpaceIsMappedToSpace() {
        assertThat(ScramMechanism.saslPrep("a\u00A0b")).isEqualTo("a b");
    }

    @Test
    void sha256PreparesWithSaslPrepAndSha1WithMongodsDigestOnly() {
        assertThat(ScramMechanism.SCRAM_SHA_256.preparePassword("u", "I\u00ADX")).isEqualTo("IX");
        assertThat(ScramMechanism.SCRAM_SHA_1.preparePassword("u", "I\u00ADX"))
                .isEqualTo(ScramMechanism.mongoDigest("u", "I\u00ADX"))
                .isNotEqualTo(ScramMechanism.mongoDigest("u", "IX"));
    }
}
