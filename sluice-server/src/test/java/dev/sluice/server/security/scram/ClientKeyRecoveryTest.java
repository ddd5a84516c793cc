package dev.sluice.server.security.scram;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** userSource: cluster: the ClientKey Sluice recovers from a verified proof is the client's own (RFC 5802). */
class ClientKeyRecoveryTest {
    private final SecureRandom random = new SecureRandom();
    private final ScramServer server = new ScramServer(ScramServerSettings.defaults(), random);

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void theRecoveredClientKeyIsTheOneDerivedFromThePassword(ScramMechanism mechanism) {
        ScramCredentials stored = ScramCredentials.derive(mechanism, "alice", "pw", 4096, random);
        ScramServerConversation conversation = server.start(mechanism, user -> Optional.of(stored), true);
        ScramClient client = ScramClient.forMongo(mechanism, "alice", "pw", "clientnonce");
        ScramStep first = conversation.first(client.clientFirst());
        assertThat(conversation.takeClientKey()).as("nothing before the proof").isEmpty();
        conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload()));

        ScramServerConversation.RecoveredKey key = conversation.takeClientKey().orElseThrow();
        byte[] expected = mechanism.clientKey(mechanism.saltedPassword(mechanism.preparePassword("alice", "pw"),
                stored.saltBytes(), stored.iterationCount()));
        assertThat(MessageDigest.isEqual(key.clientKey(), expected)).isTrue();
        assertThat(MessageDigest.isEqual(mechanism.hash(key.clientKey()), stored.storedKeyBytes())).isTrue();
        assertThat(key.toString()).contains("redacted").doesNotContain(stored.storedKey());
        assertThat(conversation.takeClientKey()).as("handed over once").isEmpty();
    }

    @Test
    void aWrongPasswordYieldsNoKey() {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        ScramCredentials stored = ScramCredentials.derive(mechanism, "alice", "pw", 4096, random);
        ScramServerConversation conversation = server.start(mechanism, user -> Optional.of(stored), true);
        ScramClient client = ScramClient.forMongo(mechanism, "alice", "wrong", "clientnonce");
        ScramStep first = conversation.first(client.clientFirst());
        assertThat(conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload())))
                .isInstanceOf(ScramStep.Failed.class);
        assertThat(conversation.takeClientKey()).isEmpty();
    }
}
