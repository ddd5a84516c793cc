package dev.sluice.server.security.scram;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramCredentialsTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void derivedKeysMatchAnIndependentHiComputationForANonAsciiPassword() throws Exception {
        ScramCredentials credentials = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, "ümlaut",
                "p\u00E4ss\u2168", 4096, random);

        // RFC 5802 Hi() written out with javax.crypto.Mac over UTF-8(SASLprep(password)) = "pässIX".
        byte[] salt = Base64.getDecoder().decode(credentials.salt());
        byte[] salted = hi("HmacSHA256", "p\u00E4ssIX".getBytes(StandardCharsets.UTF_8), salt, 4096);
        byte[] clientKey = hmac("HmacSHA256", salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] serverKey = hmac("HmacSHA256", salted, "Server Key");

        assertThat(credentials.storedKey()).isEqualTo(Base64.getEncoder().encodeToString(storedKey));
        assertThat(credentials.serverKey()).isEqualTo(Base64.getEncoder().encodeToString(serverKey));
        assertThat(salt).hasSize(28);
        assertThat(credentials.iterationCount()).isEqualTo(4096);
    }

    @Test
    void sha1SaltsAreSixteenBytesAsMongodMakesThem() {
        ScramCredentials credentials = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_1, "u", "p", 4096, random);
        assertThat(Base64.getDecoder().decode(credentials.salt())).hasSize(16);
    }

    @Test
    void verifyPasswordAcceptsOnlyThePassword() {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            ScramCredentials credentials = ScramCredentials.derive(mechanism, "alice", "s\u00E9cr\u00E8t", 4096,
                    random);
            assertThat(credentials.verifyPassword("alice", "s\u00E9cr\u00E8t")).isTrue();
            assertThat(credentials.verifyPassword("alice", "secret")).isFalse();
            assertThat(credentials.verifyPassword("alice", "\u0007")).as("refused by SASLprep").isFalse();
        }
        ScramCredentials sha1 = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_1, "alice", "pw", 4096, random);
        assertThat(sha1.verifyPassword("bob", "pw")).as("SCRAM-SHA-1 digest includes the user name").isFalse();
    }

    @Test
    void bsonRoundTripInMongodsCredentialsShape() {
        ScramCredentials sha1 = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_1, "u", "p", 4096, random);
        ScramCredentials sha256 = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, "u", "p", 4096, random);
        BsonDocument document = ScramCredentials.toCredentialsDocument(List.of(sha1, sha256));

        assertThat(document.keySet()).containsExactly("SCRAM-SHA-1", "SCRAM-SHA-256");
        assertThat(document.getDocument("SCRAM-SHA-256").keySet())
                .containsExactly("iterationCount", "salt", "storedKey", "serverKey");
        Map<ScramMechanism, ScramCredentials> read = ScramCredentials.allFromBson(document);
        assertThat(read).containsEntry(ScramMechanism.SCRAM_SHA_1, sha1).containsEntry(ScramMechanism.SCRAM_SHA_256,
                sha256);
    }

    @Test
    void malformedStoredCredentialsNameTheField() {
        BsonDocument noSalt = BsonDocument.parse("{iterationCount: 10000, storedKey: 'AAAA', serverKey: 'AAAA'}");
        assertThatThrownBy(() -> ScramCredentials.fromBson(ScramMechanism.SCRAM_SHA_1, noSalt))
                .hasMessageContaining("SCRAM-SHA-1.salt: missing");
        BsonDocument shortKey = BsonDocument.parse("{iterationCount: 10000, salt: 'AAAA', storedKey: 'AAAA', "
                + "serverKey: 'AAAA'}");
        assertThatThrownBy(() -> ScramCredentials.fromBson(ScramMechanism.SCRAM_SHA_1, shortKey))
                .hasMessageContaining("storedKey: 3 bytes (expected: 20 for SCRAM-SHA-1)");
        assertThatThrownBy(() -> ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, "u", "p", 1000, random))
                .hasMessageContaining("iterationCount: 1000 (expected: >= 4096)");
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        ScramCredentials credentials = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, "u", "p", 4096, random);
        assertThat(credentials.toString()).doesNotContain(credentials.salt(), credentials.storedKey(),
                credentials.serverKey()).contains("SCRAM-SHA-256", "4096");
    }

    private static byte[] hi(String algorithm, byte[] password, byte[] salt, int iterations) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(password, algorithm));
        mac.update(salt);
        byte[] u = mac.doFinal(ByteBuffer.allocate(4).putInt(1).array());
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(String algorithm, byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
