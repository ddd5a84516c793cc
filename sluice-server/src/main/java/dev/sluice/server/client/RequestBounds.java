package dev.sluice.server.client;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpMsg;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/**
 * The bounds a client's request meets before anything reads it field by field, each refused with mongod's error
 * where mongod has one and naming the bound: a document larger than a command may carry (BSONObjectTooLarge), a
 * document sequence of more statements than a write batch may hold (InvalidLength), and a handshake, an
 * authentication step or a request before login larger than {@link #MAX_HANDSHAKE_BYTES}.
 */
final class RequestBounds {

    private RequestBounds() {
    }

    /**
     * The most a handshake ({@code hello}, {@code isMaster}), an authentication command or, when authentication is
     * on, any request of a client that has not logged in may be: drivers send a few hundred bytes. These are read
     * field by field by anyone who can connect; a 15 MB hello of two million fields held an event loop for a second.
     */
    static final int MAX_HANDSHAKE_BYTES = 64 * 1024;

    /**
     * The refusal of a handshake or an unauthenticated request over {@link #MAX_HANDSHAKE_BYTES}, or null.
     *
     * @param handshake a hello or an authentication step
     * @param mustLogIn authentication is on and the client has not logged in
     */
    static BsonDocument beforeAuthentication(String name, RawBsonDocument body, boolean handshake, boolean mustLogIn) {
        int size = body.getByteBuffer().remaining();
        if (size <= MAX_HANDSHAKE_BYTES) {
            return null;
        }
        if (HelloResponder.isHello(name)) { // mongod's answer first when it is the client metadata that is too large
            ClientMetadataCheck.Refusal metadata = ClientMetadataCheck.checkInPlace(body);
            if (metadata != null) {
                return ErrorReplies.error(metadata.code(), metadata.codeName(), metadata.message());
            }
        }
        if (handshake) {
            return ErrorReplies.error(2, "BadValue", name + " is " + size + " bytes (expected: <= "
                    + MAX_HANDSHAKE_BYTES + ", maxHandshakeBytes: a handshake or an authentication step is a few"
                    + " hundred bytes)");
        }
        if (mustLogIn) {
            return ErrorReplies.error(13, "Unauthorized", "Command " + name + " requires authentication (and a"
                    + " request before it is at most " + MAX_HANDSHAKE_BYTES + " bytes, maxHandshakeBytes; this one is "
                    + size + ")");
        }
        return null;
    }

    /**
     * The largest document a command may carry, as mongod: maxBsonObjectSize (16 MiB, as Sluice's hello advertises
     * it) and 16 KiB for the command's own fields. A larger one is refused before anything decodes it: mongod would
     * refuse it too, and a backend that closes the connection for it would make Sluice clear the host's pool.
     */
    static final int MAX_COMMAND_DOCUMENT_BYTES = HelloResponder.MAX_BSON_OBJECT_SIZE + 16 * 1024;

    /** mongod's BSONObjectTooLarge (10334) for a document of {@code size} bytes. */
    static BsonDocument tooLarge(int size, String what) {
        return ErrorReplies.error(10334, "BSONObjectTooLarge", "BSONObj size: " + size + " is invalid. Size must be"
                + " between 0 and " + MAX_COMMAND_DOCUMENT_BYTES + "(16MB): " + what + " (maxBsonObjectSize in hello,"
                + " and 16 KiB for a command)");
    }

    /**
     * mongod's refusal of a document larger than a command may carry, or of a write batch of more than
     * maxWriteBatchSize statements (as Sluice's hello advertises it) in a document sequence, or null. Checked before
     * anything reads the documents: a 48 MB message of empty documents holds 9 million of them.
     */
    static BsonDocument oversized(OpMsg msg) {
        if (msg.bodyBytes().length > MAX_COMMAND_DOCUMENT_BYTES) {
            return tooLarge(msg.bodyBytes().length, "the OP_MSG body");
        }
        java.util.List<DocumentSequence> sequences = msg.sequences();
        for (int i = 0; i < sequences.size(); i++) { // indexed: no iterator per request
            DocumentSequence sequence = sequences.get(i);
            if (sequence.largestDocument() > MAX_COMMAND_DOCUMENT_BYTES) {
                return tooLarge(sequence.largestDocument(), "a document of sequence '" + sequence.identifier() + "'");
            }
            if (sequence.count() > HelloResponder.MAX_WRITE_BATCH_SIZE) {
                return ErrorReplies.error(16, "InvalidLength", "Write batch sizes must be between 1 and "
                        + HelloResponder.MAX_WRITE_BATCH_SIZE + ". Got " + sequence.count() + " operations. (document"
                        + " sequence '" + sequence.identifier() + "'; maxWriteBatchSize in hello)");
            }
        }
        return null;
    }
}
