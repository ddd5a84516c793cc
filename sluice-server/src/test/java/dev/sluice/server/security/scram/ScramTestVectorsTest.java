package dev.sluice.server.security.scram;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static dev.sluice.server.security.scram.ScramTestSupport.only;
import static dev.sluice.server.security.scram.ScramTestSupport.server;
import static dev.sluice.server.security.scram.ScramTestSupport.text;
import static dev.sluice.server.security.scram.ScramTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published exchanges: RFC 5802 §5 (SCRAM-SHA-1, raw password), RFC 7677 §3 (SCRAM-SHA-256) and
 * the MongoDB auth specification's SCRAM-SHA-1 example (mongod's MD5 password digest).
 */
class ScramTestVectorsTest {

    @Test
    void rfc5802ScramSha1ExchangeWithTheRawPassword() {
        ScramCredentials credentials = ScramCredentials.fromPreparedPassword(ScramMechanism.SCRAM_SHA_1, "pencil",
                Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        ScramServerConversation conversation = server("3rfcNHYJY1ZVvWVs7j")
                .start(ScramMechanism.SCRAM_SHA_1, only("user", credentials), true);

        assertThat(text(conversation.first(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"))))
                .isEqualTo("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
        ScramStep last = conversation.next(utf8(
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));

        assertThat(text(last)).isEqualTo("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        assertThat(((ScramStep.Challenge) last).done()).isTrue();
        assertThat(conversation.authenticatedUser()).contains("user");
    }

    @Test
    void rfc7677ScramSha256Exchange() {
        ScramCredentials credentials = ScramCredentials.fromPreparedPassword(ScramMechanism.SCRAM_SHA_256,
                "pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        ScramServerConversation conversation = server("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
                .start(ScramMechanism.SCRAM_SHA_256, only("user", credentials), true);

        assertThat(text(conversation.first(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")))).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        ScramStep last = conversation.next(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));

        assertThat(text(last)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void mongoSpecScramSha1ExampleUsesTheMd5DigestOfUserMongoPassword() {
        assertThat(ScramMechanism.mongoDigest("user", "pencil")).isEqualTo("1c33006ec1ffd90f9cadcbcc0e118200");
        ScramCredentials credentials = ScramCredentials.fromPreparedPassword(ScramMechanism.SCRAM_SHA_1,
                ScramMechanism.SCRAM_SHA_1.preparePassword("user", "pencil"),
                Base64.getDecoder().decode("rQ9ZY3MntBeuP3E1TDVC4w=="), 10000);
        ScramServerConversation conversation = server("Ho+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE")
                .start(ScramMechanism.SCRAM_SHA_1, only("user", credentials), false);

        assertThat(text(conversation.first(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")))).isEqualTo(
                "r=fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE,s=rQ9ZY3MntBeuP3E1TDVC4w==,i=10000");
        ScramStep serverFinal = conversation.next(utf8("c=biws,r=fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/"
                + "9SraGMHEE,p=MC2T8BvbmWRckDw8oWl5IVghwCY="));
        assertThat(text(serverFinal)).isEqualTo("v=UMWeI25JD1yNYZRMpZ4VHvhZ9e0=");
        assertThat(((ScramStep.Challenge) serverFinal).done()).as("legacy: one more empty round").isFalse();

        ScramStep empty = conversation.next(new byte[0]);
        assertThat(text(empty)).isEmpty();
        assertThat(((ScramStep.Challenge) empty).done()).isTrue();
        assertThat(conversation.isFinished()).isTrue();
    }

    @Test
    void testClientReproducesTheRfcClientFinalMessage() {
        ScramClient client = ScramClient.raw(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertThat(new String(client.clientFirst())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] clientFinal = client.clientFinal(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThat(new String(clientFinal)).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(client.verifyServerFinal(utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isTrue();
    }
}
