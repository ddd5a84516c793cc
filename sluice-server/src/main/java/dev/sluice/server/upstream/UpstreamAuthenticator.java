package dev.sluice.server.upstream;

import dev.sluice.server.config.AuthMechanism;
import dev.sluice.server.config.UriCredential;
import dev.sluice.server.security.scram.ScramMechanism;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of SCRAM (RFC 5802 / 7677, as MongoDB drivers run it) for Sluice's pooled backend connections,
 * with the upstream URI's credential: the mechanism is authMechanism, or negotiated through the handshake's
 * {@code saslSupportedMechs} (SCRAM-SHA-256 when offered, else SCRAM-SHA-1); the first step rides in the handshake
 * hello as {@code speculativeAuthenticate}, so a connection costs one saslContinue round trip. The keys come from
 * {@link ScramKeys}: the URI's password ({@link PasswordKeys}, salted passwords cached as drivers do) or a client's
 * own login passed through ({@link UpstreamLogin}, with {@code security.userSource: cluster}). The crypto is
 * {@link ScramMechanism}'s (JDK PBKDF2/HMAC/digest). A failure is an {@link UpstreamException} of kind
 * AUTHENTICATION_FAILED naming the host and user, never the password or a key. Monitors do not authenticate (SDAM).
 * With authMechanism=MONGODB-X509 the certificate is the credential: {@link UpstreamX509Login}.
 */
final class UpstreamAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 7677 §4 / the drivers' Auth spec: fewer iterations are refused. */
    private static final int MIN_ITERATIONS = 4096;

    private final Login credential;
    private final ScramKeys keys;
    /** authMechanism=MONGODB-X509: the certificate is the credential, no SCRAM; else null. */
    private final UpstreamX509Login x509;

    /** Who logs in: the user, its authentication database, and the mechanism (null: negotiated). */
    private record Login(String username, String source, AuthMechanism mechanism) {
    }

    /**
     * With the upstream URI's credential (the service identity).
     *
     * @param maxIterations the most SCRAM iterations accepted from a server (LimitSettings.maxUpstreamScramIterations)
     */
    UpstreamAuthenticator(UriCredential credential, int maxIterations) {
        this(credential.username(), credential.source(), credential.mechanism(),
                credential.mechanism() == AuthMechanism.MONGODB_X509 ? null
                        : new PasswordKeys(credential.username(), credential.password(), maxIterations),
                credential.mechanism() == AuthMechanism.MONGODB_X509 ? new UpstreamX509Login(credential) : null);
    }

    /** With a client's own login, passed through (the mechanism it used with Sluice). */
    UpstreamAuthenticator(UpstreamLogin login) {
        this(login.user(), login.db(), login.mechanism() == ScramMechanism.SCRAM_SHA_1 ? AuthMechanism.SCRAM_SHA_1
                : AuthMechanism.SCRAM_SHA_256, login, null);
    }

    private UpstreamAuthenticator(String username, String source, AuthMechanism mechanism, ScramKeys keys,
                                  UpstreamX509Login x509) {
        this.credential = new Login(username, source, mechanism);
        this.keys = keys;
        this.x509 = x509;
    }

    /** PBKDF2 runs so far (one per distinct salt and iteration count; none for a passed-through login). */
    long derivations() {
        return keys instanceof PasswordKeys p ? p.derivations() : 0;
    }

    /** A conversation for one new connection: speculative with authMechanism, or SCRAM-SHA-256 when negotiating. */
    Conversation start() {
        if (x509 != null) {
            return null;
        }
        return new Conversation(credential.mechanism() == AuthMechanism.SCRAM_SHA_1
                ? ScramMechanism.SCRAM_SHA_1 : ScramMechanism.SCRAM_SHA_256);
    }

    /** The fields the handshake hello carries: saslSupportedMechs when negotiating, speculativeAuthenticate. */
    void addToHello(BsonDocument hello, Conversation conversation) {
        if (x509 != null) {
            hello.append("speculativeAuthenticate", x509.command());
            return;
        }
        if (credential.mechanism() == null) {
            hello.append("saslSupportedMechs", new BsonString(credential.source() + "." + credential.username()));
        }
        hello.append("speculativeAuthenticate", conversation.saslStart());
    }

    /**
     * Completes the authentication after the handshake reply: continues the speculative conversation when the
     * server took it, or runs saslStart with the negotiated mechanism.
     */
    CompletableFuture<Void> finish(BackendConnection connection, ByteBufAllocator alloc, Conversation speculated,
                                   BsonDocument helloReply) {
        if (x509 != null) {
            return x509.finish(connection, alloc, helloReply);
        }
        BsonValue speculative = helloReply.get("speculativeAuthenticate");
        if (speculative != null && speculative.isDocument()) {
            return speculated.afterServerFirst(connection, alloc, speculative.asDocument());
        }
        Conversation conversation = new Conversation(negotiated(helloReply));
        return conversation.command(connection, alloc, conversation.saslStart(), "saslStart")
                .thenCompose(reply -> conversation.afterServerFirst(connection, alloc, reply));
    }

    private ScramMechanism negotiated(BsonDocument helloReply) {
        if (credential.mechanism() == AuthMechanism.SCRAM_SHA_1) {
            return ScramMechanism.SCRAM_SHA_1;
        }
        if (credential.mechanism() == AuthMechanism.SCRAM_SHA_256) {
            return ScramMechanism.SCRAM_SHA_256;
        }
        BsonValue mechs = helloReply.get("saslSupportedMechs");
        if (mechs != null && mechs.isArray() && !mechs.asArray().contains(new BsonString("SCRAM-SHA-256"))) {
            return ScramMechanism.SCRAM_SHA_1;
        }
        return ScramMechanism.SCRAM_SHA_256;
    }

    /** One SCRAM conversation on one connection. */
    final class Conversation {
        private final ScramMechanism mechanism;
        private final String nonce;
        private final String clientFirstBare;
        private String authMessage;
        private byte[] serverKey;

        private Conversation(ScramMechanism mechanism) {
            this.mechanism = mechanism;
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            this.nonce = Base64.getEncoder().encodeToString(random);
            this.clientFirstBare = "n=" + credential.username().replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        }

        private BsonDocument saslStart() {
            return new BsonDocument("saslStart", new BsonInt32(1))
                    .append("mechanism", new BsonString(mechanism.mechanismName()))
                    .append("payload", new BsonBinary(("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8)))
                    .append("db", new BsonString(credential.source()))
                    .append("options", new BsonDocument("skipEmptyExchange", BsonBoolean.TRUE));
        }

        private CompletableFuture<Void> afterServerFirst(BackendConnection connection, ByteBufAllocator alloc,
                                                         BsonDocument reply) {
            byte[] clientFinal;
            try {
                clientFinal = clientFinal(connection, payload(connection, reply));
            } catch (UpstreamException e) {
                return CompletableFuture.failedFuture(e);
            }
            BsonDocument next = new BsonDocument("saslContinue", new BsonInt32(1))
                    .append("conversationId", reply.get("conversationId", new BsonInt32(1)))
                    .append("payload", new BsonBinary(clientFinal));
            return command(connection, alloc, next, "saslContinue").thenCompose(r -> {
                String serverFinal = new String(payload(connection, r), StandardCharsets.UTF_8);
                if (!verify(serverFinal)) {
                    throw failure(connection, "the server's signature does not verify (is " + connection.host()
                            + " the server it claims to be?)");
                }
                if (r.getBoolean("done", BsonBoolean.FALSE).getValue()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                BsonDocument empty = new BsonDocument("saslContinue", new BsonInt32(1))
                        .append("conversationId", r.get("conversationId", new BsonInt32(1)))
                        .append("payload", new BsonBinary(new byte[0]));
                return command(connection, alloc, empty, "saslContinue").thenAccept(last -> {
                    if (!last.getBoolean("done", BsonBoolean.FALSE).getValue()) {
                        throw failure(connection, "the server did not end the SASL conversation");
                    }
                });
            });
        }

        private byte[] clientFinal(BackendConnection connection, byte[] serverFirstBytes) {
            String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
            String combinedNonce = null;
            byte[] salt = null;
            int iterations = 0;
            try {
                for (String field : serverFirst.split(",")) {
                    if (field.startsWith("r=")) {
                        combinedNonce = field.substring(2);
                    } else if (field.startsWith("s=")) {
                        salt = Base64.getDecoder().decode(field.substring(2));
                    } else if (field.startsWith("i=")) {
                        iterations = Integer.parseInt(field.substring(2));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw failure(connection, "invalid SCRAM server-first message: " + e.getMessage());
            }
            if (combinedNonce == null || !combinedNonce.startsWith(nonce) || combinedNonce.length() == nonce.length()
                    || salt == null || iterations < MIN_ITERATIONS) {
                throw failure(connection, "invalid SCRAM server-first message (nonce, salt, or an iteration "
                        + "count under " + MIN_ITERATIONS + ")");
            }
            String withoutProof = "c=biws,r=" + combinedNonce;
            authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            ScramKeys.Keys k;
            try {
                k = keys.keys(mechanism, salt, iterations);
            } catch (IllegalStateException e) {
                throw failure(connection, e.getMessage());
            }
            serverKey = k.serverKey();
            byte[] clientKey = k.clientKey();
            byte[] signature = mechanism.hmac(mechanism.hash(clientKey), authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        }

        private boolean verify(String serverFinal) {
            if (!serverFinal.startsWith("v=")) {
                return false;
            }
            byte[] expected = mechanism.hmac(serverKey, authMessage);
            try {
                return MessageDigest.isEqual(expected, Base64.getDecoder().decode(serverFinal.substring(2)));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private byte[] payload(BackendConnection connection, BsonDocument reply) {
            // a hello's speculativeAuthenticate document has no "ok": the hello's own ok covers it
            if (reply.containsKey("ok") && !BackendHandshake.isOk(reply)) {
                BsonValue code = reply.get("code");
                throw failure(connection, reply.getString("errmsg", new BsonString("no errmsg")).getValue()
                        + (code != null && code.isNumber() ? " (code " + code.asNumber().intValue() + ")" : ""));
            }
            BsonValue payload = reply.get("payload");
            if (payload == null || !payload.isBinary()) {
                throw failure(connection, "the server's SASL reply has no binary payload");
            }
            return payload.asBinary().getData();
        }

        private UpstreamException failure(BackendConnection connection, String why) {
            return new UpstreamException(UpstreamException.Kind.AUTHENTICATION_FAILED, connection.host(),
                    "authentication to upstream " + connection.host() + " failed (user '" + credential.username()
                            + "' on '" + credential.source() + "', " + mechanism.mechanismName() + "): " + why);
        }

        private CompletableFuture<BsonDocument> command(BackendConnection connection, ByteBufAllocator alloc,
                                                        BsonDocument command, String name) {
            return BackendCommand.run(connection, alloc, command, credential.source(), name);
        }
    }
}
