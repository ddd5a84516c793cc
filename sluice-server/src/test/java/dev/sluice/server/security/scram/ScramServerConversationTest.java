package dev.sluice.server.security.scram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.sluice.server.security.scram.ScramTestSupport.only;
import static dev.sluice.server.security.scram.ScramTestSupport.text;
import static dev.sluice.server.security.scram.ScramTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class ScramServerConversationTest {
    private static final String PASSWORD = "p\u00E4ss \u2168 w\u00F6rd";
    private final SecureRandom random = new SecureRandom();
    private final ScramServer server = new ScramServer(ScramServerSettings.defaults(), random);

    private ScramCredentials credentials(ScramMechanism mechanism) {
        return ScramCredentials.derive(mechanism, "jos\u00E9", PASSWORD, 4096, random);
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void clientAndServerAgreeOnANonAsciiPassword(ScramMechanism mechanism) {
        ScramServerConversation conversation = server.start(mechanism, only("jos\u00E9", credentials(mechanism)), true);
        ScramClient client = ScramClient.forMongo(mechanism, "jos\u00E9", PASSWORD, "clientNonce123");

        ScramStep first = conversation.first(client.clientFirst());
        ScramStep last = conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload()));

        assertThat(last).isInstanceOf(ScramStep.Challenge.class);
        assertThat(((ScramStep.Challenge) last).done()).isTrue();
        assertThat(client.verifyServerFinal(((ScramStep.Challenge) last).payload())).isTrue();
        assertThat(conversation.authenticatedUser()).contains("jos\u00E9");
        assertThat(conversation.isFinished()).isTrue();
    }

    @Test
    void serverNonceExtendsTheClientNonceWithThirtyTwoRandomCharacters() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                only("u", credentials(ScramMechanism.SCRAM_SHA_256)), true);
        String serverFirst = text(conversation.first(utf8("n,,n=u,r=abcdef")));
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        assertThat(nonce).startsWith("abcdef").hasSize(6 + 32);
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void wrongPasswordFailsWithoutAHint(ScramMechanism mechanism) {
        ScramServerConversation conversation = server.start(mechanism, only("jos\u00E9", credentials(mechanism)), true);
        ScramClient client = ScramClient.forMongo(mechanism, "jos\u00E9", "wrong", "clientNonce123");
        ScramStep first = conversation.first(client.clientFirst());
        ScramStep last = conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload()));

        assertThat(last).isInstanceOf(ScramStep.Failed.class);
        assertThat(conversation.authenticatedUser()).isEmpty();
        assertThat(conversation.next(new byte[0])).as("a failed attempt stays failed")
                .isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void unknownUserLooksLikeAKnownOneUntilTheProof() {
        ScramServerConversation known = server.start(ScramMechanism.SCRAM_SHA_256,
                only("alice", credentials(ScramMechanism.SCRAM_SHA_256)), true);
        String knownFirst = text(known.first(utf8("n,,n=alice,r=abcdef")));
        String ghostFirst = text(server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(), true)
                .first(utf8("n,,n=ghost,r=abcdef")));
        String ghostAgain = text(server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(), true)
                .first(utf8("n,,n=ghost,r=abcdef")));
        String otherGhost = text(server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(), true)
                .first(utf8("n,,n=ghost2,r=abcdef")));

        assertThat(salt(ghostFirst)).hasSameSizeAs(salt(knownFirst));
        assertThat(ghostFirst).endsWith(",i=15000");
        assertThat(salt(ghostFirst)).as("stable per name, like a real user's").isEqualTo(salt(ghostAgain))
                .isNotEqualTo(salt(otherGhost));
        assertThat(ghostFirst.length()).isEqualTo(knownFirst.length() - "alice".length() + "ghost".length()
                - ",i=4096".length() + ",i=15000".length());

        ScramServerConversation ghost = server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(), true);
        ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "ghost", "anything", "abcdef");
        ScramStep first = ghost.first(client.clientFirst());
        assertThat(ghost.next(client.clientFinal(((ScramStep.Challenge) first).payload())))
                .isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void credentialsOfAnotherMechanismAreTreatedAsAbsent() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                only("u", credentials(ScramMechanism.SCRAM_SHA_1)), true);
        ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "u", PASSWORD, "abcdef");
        ScramStep first = conversation.first(client.clientFirst());
        assertThat(conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload())))
                .isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void withoutSkipEmptyExchangeTheClientSendsOneMoreEmptyMessage() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                only("u", credentials(ScramMechanism.SCRAM_SHA_256)), false);
        ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "u", PASSWORD, "abcdef");
        ScramStep first = conversation.first(client.clientFirst());
        ScramStep.Challenge serverFinal = (ScramStep.Challenge) conversation.next(
                client.clientFinal(((ScramStep.Challenge) first).payload()));
        assertThat(serverFinal.done()).isFalse();
        assertThat(conversation.isFinished()).isFalse();
        assertThat(conversation.authenticatedUser()).contains("u");

        ScramStep.Challenge done = (ScramStep.Challenge) conversation.next(new byte[0]);
        assertThat(done.payload()).isEmpty();
        assertThat(done.done()).isTrue();
        assertThat(conversation.next(new byte[0])).as("nothing after done").isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void yFlagIsAcceptedAndEchoedInChannelBinding() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                only("u", credentials(ScramMechanism.SCRAM_SHA_256)), true);
        ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "u", PASSWORD, "abcdef")
                .withGs2Header("y,,");
        ScramStep first = conversation.first(client.clientFirst());
        assertThat(conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload())))
                .isInstanceOf(ScramStep.Challenge.class);
    }

    @Test
    void malformedOrRefusedClientFirstMessagesFail() {
        for (String message : new String[] {
            "p=tls-unique,,n=u,r=abcdef",  // channel binding asked for
            "x,,n=u,r=abcdef",             // unknown flag
            "n,,m=ext,n=u,r=abcdef",       // mandatory extension
            "n,b=u,n=u,r=abcdef",          // authzid without a=
            "n,a=other,n=u,r=abcdef",      // authzid differs
            "n,,n=u",                      // no nonce
            "n,,n=u,r=abc",                // nonce too short
            "n,,n=u=2X,r=abcdef",          // bad escape
            "n,,n=,r=abcdef",              // empty user
            "n,,n=u,r=ab cdef",            // nonce not printable
            "garbage",
        }) {
            ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                    name -> Optional.empty(), true);
            assertThat(conversation.first(utf8(message))).as(message).isInstanceOf(ScramStep.Failed.class);
        }
        ScramServerConversation invalidUtf8 = server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(),
                true);
        assertThat(invalidUtf8.first(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, ',', 'r', '=', 'a', 'b', 'c',
            'd'})).isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void escapedUserNamesAreDecodedBeforeTheLookup() {
        ScramCredentials credentials = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, "a,b=c", "pw", 4096,
                random);
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                only("a,b=c", credentials), true);
        ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "a,b=c", "pw", "abcdef");
        assertThat(new String(client.clientFirst(), StandardCharsets.UTF_8)).contains("n=a=2Cb=3Dc");
        ScramStep first = conversation.first(client.clientFirst());
        assertThat(conversation.next(client.clientFinal(((ScramStep.Challenge) first).payload())))
                .isInstanceOf(ScramStep.Challenge.class);
        assertThat(conversation.authenticatedUser()).contains("a,b=c");
    }

    @Test
    void tamperedClientFinalMessagesFail() {
        ScramCredentials credentials = credentials(ScramMechanism.SCRAM_SHA_256);
        List<UnaryOperator<String>> tamperings = List.of(
            good -> good,                                                      // control: passes
            good -> good.replace("c=biws", "c=eSws"),                          // binding differs from header sent
            good -> good.replace(",r=abcdef", ",r=abcdeX"),                    // nonce differs
            good -> withoutProof(good),                                        // no proof
            good -> withoutProof(good) + ",p=!!!!",                            // proof not base64
            good -> withoutProof(good) + ",p=" + Base64.getEncoder().encodeToString(new byte[31]), // wrong length
            good -> withoutProof(good) + ",p=" + Base64.getEncoder().encodeToString(new byte[32])  // wrong proof
        );
        for (int i = 0; i < tamperings.size(); i++) {
            ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256,
                    only("u", credentials), true);
            ScramClient client = ScramClient.forMongo(ScramMechanism.SCRAM_SHA_256, "u", PASSWORD, "abcdef");
            ScramStep first = conversation.first(client.clientFirst());
            String good = new String(client.clientFinal(((ScramStep.Challenge) first).payload()),
                    StandardCharsets.UTF_8);
            String sent = tamperings.get(i).apply(good);
            assertThat(conversation.next(utf8(sent))).as(sent)
                    .isInstanceOf(i == 0 ? ScramStep.Challenge.class : ScramStep.Failed.class);
        }
    }

    private static String withoutProof(String clientFinal) {
        return clientFinal.substring(0, clientFinal.lastIndexOf(','));
    }

    @Test
    void oversizedMessagesFailAndNameTheBound() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(),
                true);
        byte[] big = new byte[4097];
        Arrays.fill(big, (byte) 'a');
        ScramStep step = conversation.first(big);
        assertThat(step).isInstanceOf(ScramStep.Failed.class);
        assertThat(((ScramStep.Failed) step).logDetail()).contains("4097 bytes", "<= 4096", "maxMessageBytes");
    }

    @Test
    void stepsOutOfOrderFail() {
        ScramServerConversation conversation = server.start(ScramMechanism.SCRAM_SHA_256, name -> Optional.empty(),
                true);
        assertThat(conversation.next(utf8("c=biws,r=abcdef,p=AAAA"))).isInstanceOf(ScramStep.Failed.class);
        assertThat(conversation.first(utf8("n,,n=u,r=abcdef"))).as("failed for good")
                .isInstanceOf(ScramStep.Failed.class);
    }

    @Test
    void settingsAreValidatedWithTheirNames() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScramServerSettings(10, 10000, 15000))
                .hasMessageContaining("maxMessageBytes: 10 (expected: 256..1048576)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScramServerSettings(4096, 10000, 100))
                .hasMessageContaining("scramSHA256IterationCount: 100");
    }

    private static String salt(String serverFirst) {
        for (String field : serverFirst.split(",")) {
            if (field.startsWith("s=")) {
                return field.substring(2);
            }
        }
        throw new AssertionError("no salt in " + serverFirst);
    }
}
