package dev.sluice.server.client;

import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

import java.nio.charset.StandardCharsets;

/**
 * mongod's limits on the handshake's {@code client} document, with its error codes and messages:
 * at most 512 bytes (185 ClientMetadataDocumentTooLarge), {@code application.name} at most 128
 * bytes (184 ClientMetadataAppNameTooLarge), and a document (14 TypeMismatch).
 */
final class ClientMetadataCheck {
    static final int MAX_DOCUMENT_BYTES = 512;
    static final int MAX_APP_NAME_BYTES = 128;

    /** A refusal: code, codeName, errmsg. */
    record Refusal(int code, String codeName, String message) {
    }

    private ClientMetadataCheck() {
    }

    /** Null when the hello's {@code client} field is acceptable (or absent). */
    static Refusal check(BsonDocument hello) {
        BsonValue client = hello.get("client");
        if (client == null) {
            return null;
        }
        if (!client.isDocument()) {
            return new Refusal(14, "TypeMismatch", "The 'client' field is required to be a BSON document in the client metadata document");
        }
        int size = sizeOf(client.asDocument());
        if (size > MAX_DOCUMENT_BYTES) {
            return new Refusal(185, "ClientMetadataDocumentTooLarge",
                    "The client metadata document must be less then or equal to " + MAX_DOCUMENT_BYTES + " bytes");
        }
        BsonValue application = client.asDocument().get("application");
        if (application != null && application.isDocument()) {
            BsonValue name = application.asDocument().get("name");
            if (name != null && name.isString()
                    && name.asString().getValue().getBytes(StandardCharsets.UTF_8).length > MAX_APP_NAME_BYTES) {
                return new Refusal(184, "ClientMetadataAppNameTooLarge", "The 'application.name' field must be less "
                        + "than or equal to " + MAX_APP_NAME_BYTES + " bytes in the client metadata document");
            }
        }
        return null;
    }

    /**
     * As {@link #check} for the size and type of {@code client} only, found in place in a document's bytes (no
     * object per field, whatever their number): for a hello too large to be read field by field.
     */
    static Refusal checkInPlace(RawBsonDocument hello) {
        java.nio.ByteBuffer nio = hello.getByteBuffer().asNIO();
        byte[] bytes = nio.array();
        int doc = nio.arrayOffset() + nio.position();
        int end = doc + dev.sluice.server.wire.RawBson.intLE(bytes, doc) - 1;
        for (int at = doc + 4; at < end; ) {
            byte type = bytes[at];
            int value = dev.sluice.server.wire.RawBson.keyEnd(bytes, at + 1, end);
            int size = dev.sluice.server.wire.RawBson.valueSize(bytes, type, value, end);
            if (dev.sluice.server.wire.RawBson.keyIs(bytes, at + 1, "client")) {
                if (type != 0x03) {
                    return new Refusal(14, "TypeMismatch", "The 'client' field is required to be a BSON document in "
                            + "the client metadata document");
                }
                return size > MAX_DOCUMENT_BYTES ? new Refusal(185, "ClientMetadataDocumentTooLarge",
                        "The client metadata document must be less then or equal to " + MAX_DOCUMENT_BYTES + " bytes")
                        : null;
            }
            at = value + size;
        }
        return null;
    }

    private static int sizeOf(BsonDocument document) {
        if (document instanceof RawBsonDocument raw) {
            return raw.getByteBuffer().remaining();
        }
        BasicOutputBuffer out = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            new BsonDocumentCodec().encode(writer, document, EncoderContext.builder().build());
        }
        return out.getPosition();
    }
}
