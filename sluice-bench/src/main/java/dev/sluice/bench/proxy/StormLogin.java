package dev.sluice.bench.proxy;

import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of a SCRAM-SHA-256 login for {@link ConnectionStorm} {@code --auth}: the first step rides in the
 * hello ({@code speculativeAuthenticate}), as the drivers do, then one {@code saslContinue}. The functions are
 * Sluice's (RFC 5802 through the SCRAM library it uses); the salted password is computed once per salt and
 * iteration count and shared by every connection, as a driver caches it, so that ten thousand logins do not cost
 * ten thousand PBKDF2 runs on the client side. One instance per connection, event loop only.
 */
final class StormLogin {
    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, byte[]> SALTED = new ConcurrentHashMap<>();

    private final String user;
    private final String password;
    private final String nonce;
    private final String clientFirstBare;
    private byte[] expectedServerSignature;

    StormLogin(String user, String password) {
        this.user = user;
        this.password = password;
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        this.nonce = Base64.getEncoder().encodeToString(random);
        this.clientFirstBare = "n=" + user + ",r=" + nonce;
    }

    /** The hello, with the client metadata of {@link WireFrames#hello} and the first SCRAM step in it. */
    byte[] hello() {
        BsonDocument client = new BsonDocument("application", new BsonDocument("name", new BsonString("storm")))
                .append("driver", new BsonDocument("name", new BsonString("sluice-bench")).append("version",
                        new BsonString("0")))
                .append("os", new BsonDocument("type", new BsonString("Linux")));
        BsonDocument saslStart = new BsonDocument("saslStart", new BsonInt32(1))
                .append("mechanism", new BsonString(MECHANISM.mechanismName()))
                .append("payload", new BsonBinary(("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8)))
                .append("db", new BsonString("admin"))
                .append("options", new BsonDocument("skipEmptyExchange", BsonBoolean.TRUE));
        return WireFrames.encode(new BsonDocument("hello", new BsonInt32(1)).append("client", client)
                .append("speculativeAuthenticate", saslStart).append("$db", new BsonString("admin")));
    }

    /** The saslContinue that answers the hello's {@code speculativeAuthenticate} reply (server-first). */
    byte[] clientFinal(RawBsonDocument helloReply) {
        BsonValue speculative = helloReply.get("speculativeAuthenticate");
        if (speculative == null || !speculative.isDocument()) {
            throw new IllegalStateException("the hello reply has no speculativeAuthenticate: " + helloReply.toJson());
        }
        BsonDocument first = speculative.asDocument();
        String serverFirst = new String(first.getBinary("payload").getData(), StandardCharsets.UTF_8);
        String combined = null;
        byte[] salt = null;
        int iterations = 0;
        for (String field : serverFirst.split(",")) {
            if (field.startsWith("r=")) {
                combined = field.substring(2);
            } else if (field.startsWith("s=")) {
                salt = Base64.getDecoder().decode(field.substring(2));
            } else if (field.startsWith("i=")) {
                iterations = Integer.parseInt(field.substring(2));
            }
        }
        if (combined == null || !combined.startsWith(nonce) || salt == null || iterations <= 0) {
            throw new IllegalStateException("bad server-first message: " + serverFirst);
        }
        int rounds = iterations;
        byte[] saltBytes = salt;
        byte[] salted = SALTED.computeIfAbsent(user + "|" + Base64.getEncoder().encodeToString(salt) + "|" + iterations,
                k -> MECHANISM.saltedPassword(MECHANISM.preparePassword(user, password), saltBytes, rounds));
        String withoutProof = "c=biws,r=" + combined;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = MECHANISM.clientKey(salted);
        byte[] signature = MECHANISM.hmac(MECHANISM.hash(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        expectedServerSignature = MECHANISM.hmac(MECHANISM.serverKey(salted), authMessage);
        String clientFinal = withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        return WireFrames.encode(new BsonDocument("saslContinue", new BsonInt32(1))
                .append("conversationId", first.get("conversationId", new BsonInt32(1)))
                .append("payload", new BsonBinary(clientFinal.getBytes(StandardCharsets.UTF_8)))
                .append("$db", new BsonString("admin")));
    }

    /** Whether the server's final message proves it knows the keys and the conversation is done. */
    boolean verified(RawBsonDocument reply) {
        String serverFinal = new String(reply.getBinary("payload").getData(), StandardCharsets.UTF_8);
        if (!serverFinal.startsWith("v=") || !reply.getBoolean("done", BsonBoolean.FALSE).getValue()) {
            return false;
        }
        return MessageDigest.isEqual(Base64.getDecoder().decode(serverFinal.substring(2)), expectedServerSignature);
    }
}
