package dev.sluice.server.upstream;

import dev.sluice.server.config.AuthMechanism;
import dev.sluice.server.config.UriCredential;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import dev.sluice.server.security.scram.ScramServer;
import dev.sluice.server.security.scram.ScramServerConversation;
import dev.sluice.server.security.scram.ScramServerSettings;
import dev.sluice.server.security.scram.ScramStep;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client side of SCRAM against Sluice's own SCRAM server conversation (the server side of mongod's protocol)
 * over a backend connection on an {@link EmbeddedChannel}: speculative authentication, negotiation through
 * saslSupportedMechs, the salted-password cache, a wrong password.
 */
class UpstreamAuthenticatorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD = "pa55-w0rd";
    private static final int MAX_ITERATIONS = 1_000_000;

    /** A mongod-like server: one user "svc" in admin with both mechanisms' credentials. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class FakeServer extends ChannelOutboundHandlerAdapter {
        final Map<ScramMechanism, ScramCredentials> stored = new EnumMap<>(ScramMechanism.class);
        final ScramServer scram = new ScramServer(ScramServerSettings.defaults(), RANDOM);
        final List<String> commands = new ArrayList<>();
        final Queue<ByteBuf> replies = new ArrayDeque<>();
        boolean takesSpeculative = true;
        List<String> mechanisms = List.of("SCRAM-SHA-1", "SCRAM-SHA-256");
        ScramServerConversation conversation;

        FakeServer() {
            for (ScramMechanism m : ScramMechanism.values()) {
                stored.put(m, ScramCredentials.derive(m, "svc", PASSWORD, m.defaultIterationCount(), RANDOM));
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf frame = (ByteBuf) msg;
            OpMsg request = OpMsg.parse(frame);
            BsonDocument body = BsonDocument.parse(request.body().toJson());
            frame.release();
            promise.setSuccess();
            String command = body.getFirstKey();
            commands.add(command);
            BsonDocument reply = switch (command) {
                case "hello" -> hello(body);
                case "saslStart" -> step(start(body));
                case "saslContinue" -> step(conversation.next(body.getBinary("payload").getData()));
                default -> new BsonDocument("ok", new BsonInt32(0));
            };
            replies.add(OpMsg.encode(ByteBufAllocator.DEFAULT, 1, request.requestId(), 0, reply));
        }

        private BsonDocument hello(BsonDocument body) {
            BsonDocument reply = new BsonDocument("ok", new BsonInt32(1)).append("isWritablePrimary", BsonBoolean.TRUE)
                    .append("maxWireVersion", new BsonInt32(17));
            if (body.containsKey("saslSupportedMechs")) {
                BsonArray mechs = new BsonArray();
                mechanisms.forEach(m -> mechs.add(new BsonString(m)));
                reply.append("saslSupportedMechs", mechs);
            }
            if (takesSpeculative && body.containsKey("speculativeAuthenticate")) {
                BsonDocument step = step(start(body.getDocument("speculativeAuthenticate")));
                step.remove("ok");
                reply.append("speculativeAuthenticate", step);
            }
            return reply;
        }

        private ScramStep start(BsonDocument saslStart) {
            ScramMechanism m = ScramMechanism.byName(saslStart.getString("mechanism").getValue()).orElseThrow();
            conversation = scram.start(m, user -> Optional.ofNullable(user.equals("svc") ? stored.get(m) : null),
                    saslStart.getDocument("options", new BsonDocument()).getBoolean("skipEmptyExchange",
                            BsonBoolean.FALSE).getValue());
            return conversation.first(saslStart.getBinary("payload").getData());
        }

        private static BsonDocument step(ScramStep step) {
            if (step instanceof ScramStep.Challenge c) {
                return new BsonDocument("conversationId", new BsonInt32(1)).append("done", BsonBoolean.valueOf(c.done()))
                        .append("payload", new BsonBinary(c.payload())).append("ok", new BsonInt32(1));
            }
            return new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(18))
                    .append("codeName", new BsonString("AuthenticationFailed"))
                    .append("errmsg", new BsonString(ScramStep.AUTHENTICATION_FAILED_MESSAGE));
        }
    }

    private static UpstreamFeatures handshake(FakeServer server, UpstreamAuthenticator authenticator) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        BackendConnection connection = new BackendConnection(channel, "db1:27017", 1, 0, -1, true);
        ReplyFrameDecoder frames = new ReplyFrameDecoder(16 * 1024 * 1024);
        channel.pipeline().addLast("server", server);
        channel.pipeline().addLast("frames", frames);
        channel.pipeline().addLast("replies", new BackendHandler(connection, frames));
        CompletableFuture<UpstreamFeatures> result = BackendHandshake.run(connection, channel.alloc(), "front",
                List.of(), false, authenticator);
        for (int i = 0; i < 20 && !result.isDone(); i++) {
            channel.runPendingTasks();
            ByteBuf reply;
            while ((reply = server.replies.poll()) != null) {
                channel.writeInbound(reply);
            }
        }
        assertThat(result).isDone();
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() instanceof Exception x
                    ? x : (Exception) e.getCause();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static UriCredential credential(AuthMechanism mechanism, String password) {
        return new UriCredential(mechanism, "svc", password, "admin", Map.of());
    }

    @Test
    void speculativeScramSha256CostsOneSaslContinueAndTheSaltedPasswordIsCached() throws Exception {
        FakeServer server = new FakeServer();
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(credential(null, PASSWORD), MAX_ITERATIONS);
        handshake(server, authenticator);
        assertThat(server.commands).containsExactly("hello", "saslContinue");
        assertThat(server.conversation.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_256);
        assertThat(server.conversation.authenticatedUser()).contains("svc");

        for (int i = 0; i < 3; i++) {
            handshake(server, authenticator);
        }
        assertThat(authenticator.derivations()).as("PBKDF2 once per salt and iteration count").isEqualTo(1);
    }

    @Test
    void withoutSpeculationTheMechanismIsNegotiatedFromSaslSupportedMechs() throws Exception {
        FakeServer server = new FakeServer();
        server.takesSpeculative = false;
        server.mechanisms = List.of("SCRAM-SHA-1");
        handshake(server, new UpstreamAuthenticator(credential(null, PASSWORD), MAX_ITERATIONS));
        assertThat(server.commands).containsExactly("hello", "saslStart", "saslContinue");
        assertThat(server.conversation.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_1);
        assertThat(server.conversation.authenticatedUser()).contains("svc");
    }

    @Test
    void anExplicitScramSha1IsUsedSpeculatively() throws Exception {
        FakeServer server = new FakeServer();
        handshake(server, new UpstreamAuthenticator(credential(AuthMechanism.SCRAM_SHA_1, PASSWORD), MAX_ITERATIONS));
        assertThat(server.commands).containsExactly("hello", "saslContinue");
        assertThat(server.conversation.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_1);
        assertThat(server.conversation.authenticatedUser()).contains("svc");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureNamingHostAndUserButNotThePassword() {
        FakeServer server = new FakeServer();
        String wrong = "not-the-" + PASSWORD;
        assertThatThrownBy(() -> handshake(server, new UpstreamAuthenticator(credential(null, wrong), MAX_ITERATIONS)))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.AUTHENTICATION_FAILED);
                    assertThat(e.kind().code()).isEqualTo(18);
                    assertThat(e.isNetworkError()).as("no pool clear, no retry").isFalse();
                })
                .hasMessageContaining("db1:27017").hasMessageContaining("'svc'").hasMessageNotContaining(wrong);
    }

    @Test
    void mongodbX509RidesInTheHelloAsAnAuthenticateOnExternalWithTheUserOnlyWhenNamed() {
        UpstreamAuthenticator anonymous = new UpstreamAuthenticator(new UriCredential(AuthMechanism.MONGODB_X509, null,
                null, "$external", Map.of()), MAX_ITERATIONS);
        BsonDocument hello = new BsonDocument("hello", new BsonInt32(1));
        anonymous.addToHello(hello, anonymous.start());
        assertThat(hello.getDocument("speculativeAuthenticate")).isEqualTo(new BsonDocument("authenticate",
                new BsonInt32(1)).append("mechanism", new BsonString("MONGODB-X509"))
                .append("db", new BsonString("$external")));
        assertThat(hello.containsKey("saslSupportedMechs")).as("no SCRAM negotiation").isFalse();

        UpstreamAuthenticator named = new UpstreamAuthenticator(new UriCredential(AuthMechanism.MONGODB_X509,
                "CN=sluice,O=Example", null, "$external", Map.of()), MAX_ITERATIONS);
        BsonDocument hello2 = new BsonDocument("hello", new BsonInt32(1));
        named.addToHello(hello2, named.start());
        assertThat(hello2.getDocument("speculativeAuthenticate").getString("user").getValue())
                .isEqualTo("CN=sluice,O=Example");
    }
}
