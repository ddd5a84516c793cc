package dev.sluice.server.upstream;

import dev.sluice.server.config.UriCredential;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.concurrent.CompletableFuture;

/**
 * MONGODB-X509 to the upstream (the Authentication spec): the certificate of the URI's tlsCertificateKeyFile, sent in
 * the backend connection's TLS handshake, is the credential. The handshake hello carries
 * {@code speculativeAuthenticate: {authenticate: 1, mechanism: "MONGODB-X509", db: "$external"}} (with {@code user}
 * only when the URI names one: servers from 3.4 take the certificate's subject); a server that answers it needs
 * nothing more, else an {@code authenticate} command follows on {@code $external}.
 */
final class UpstreamX509Login {
    static final String MECHANISM = "MONGODB-X509";
    private static final String EXTERNAL = "$external";

    private final UriCredential credential;

    UpstreamX509Login(UriCredential credential) {
        this.credential = credential;
    }

    /** The {@code authenticate} command; its {@code db} is the speculative form's, moved to $db when sent alone. */
    BsonDocument command() {
        BsonDocument command = new BsonDocument("authenticate", new BsonInt32(1))
                .append("mechanism", new BsonString(MECHANISM));
        if (credential.username() != null) {
            command.append("user", new BsonString(credential.username()));
        }
        return command.append("db", new BsonString(EXTERNAL));
    }

    /** After the hello: done when the server answered the speculative authenticate, else runs authenticate. */
    CompletableFuture<Void> finish(BackendConnection connection, ByteBufAllocator alloc, BsonDocument helloReply) {
        BsonValue speculative = helloReply.get("speculativeAuthenticate");
        if (speculative != null && speculative.isDocument()) {
            return CompletableFuture.completedFuture(null);
        }
        return BackendCommand.run(connection, alloc, command(), EXTERNAL, "authenticate").thenAccept(reply -> {
            if (!BackendHandshake.isOk(reply)) {
                BsonValue code = reply.get("code");
                throw failure(connection, reply.getString("errmsg", new BsonString("no errmsg")).getValue()
                        + (code != null && code.isNumber() ? " (code " + code.asNumber().intValue() + ")" : ""));
            }
        });
    }

    private UpstreamException failure(BackendConnection connection, String why) {
        String user = credential.username() == null ? "the subject of tlsCertificateKeyFile" : "user '"
                + credential.username() + "'";
        return new UpstreamException(UpstreamException.Kind.AUTHENTICATION_FAILED, connection.host(),
                "authentication to upstream " + connection.host() + " failed (" + user + " on '$external', "
                        + MECHANISM + "): " + why + " (is the certificate's subject a user on $external there?)");
    }
}
