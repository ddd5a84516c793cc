package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;

import java.nio.charset.StandardCharsets;

/**
 * BSON plumbing shared by the message classes: bounds checks of document lengths and cstrings in
 * a frame, validation of documents ({@link BsonValidator}) and writing a document into a
 * {@link ByteBuf}. No BSON is encoded or decoded by hand here.
 */
final class WireBson {

    /** The smallest BSON document: int32 length + the trailing NUL. */
    static final int MIN_DOCUMENT_LENGTH = 5;

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private static final EncoderContext ENCODER_CONTEXT = EncoderContext.builder().build();

    private WireBson() {
    }

    /**
     * Checks the length of the document at {@code index}, which must end at or before
     * {@code limit}, and returns it.
     */
    static int documentLength(ByteBuf buf, int index, int limit, int requestId, String what, String container) {
        int left = limit - index;
        if (left < 4) {
            throw WireProtocolException.fatal(requestId, what + " length: missing (" + Math.max(left, 0)
                    + " bytes left in the " + container + ", expected: >= " + MIN_DOCUMENT_LENGTH + ")");
        }
        int length = buf.getIntLE(index);
        if (length < MIN_DOCUMENT_LENGTH) {
            throw WireProtocolException.fatal(requestId,
                    what + " length: " + length + " (expected: >= " + MIN_DOCUMENT_LENGTH + ")");
        }
        if (length > left) {
            throw WireProtocolException.fatal(requestId, what + " length: " + length + " (expected: <= " + left
                    + ", the bytes left in the " + container + ")");
        }
        return length;
    }

    /** Copies the checked document at {@code index} and validates it. */
    static RawBsonDocument readDocument(ByteBuf buf, int index, int length, int requestId, String what) {
        return new RawBsonDocument(readDocumentBytes(buf, index, length, requestId, what), 0, length);
    }

    /** Copies the checked document at {@code index} and validates it: its bytes, exactly the document. */
    static byte[] readDocumentBytes(ByteBuf buf, int index, int length, int requestId, String what) {
        byte[] bytes = ByteBufUtil.getBytes(buf, index, length);
        validate(bytes, 0, length, requestId, what);
        return bytes;
    }

    /** Index of the NUL ending the cstring starting at {@code index}, which must lie before {@code limit}. */
    static int cstringEnd(ByteBuf buf, int index, int limit, int requestId, String what) {
        int nul = index < limit ? buf.indexOf(index, limit, (byte) 0) : -1;
        if (nul < 0) {
            throw WireProtocolException.fatal(requestId, what + ": missing terminating NUL (within "
                    + Math.max(limit - index, 0) + " bytes)");
        }
        return nul;
    }

    static String readCString(ByteBuf buf, int index, int nul) {
        return buf.toString(index, nul - index, StandardCharsets.UTF_8);
    }

    static void writeCString(ByteBuf out, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("cstring contains a NUL character: " + value);
        }
        ByteBufUtil.writeUtf8(out, value);
        out.writeByte(0);
    }

    /**
     * Throws a recoverable {@link WireProtocolException} naming {@code what} unless the document
     * at {@code bytes[offset, offset + length)} is well-formed BSON (see {@link BsonValidator}).
     */
    static void validate(byte[] bytes, int offset, int length, int requestId, String what) {
        try {
            BsonValidator.validate(bytes, offset, length);
        } catch (RuntimeException e) {
            throw WireProtocolException.recoverable(requestId, "invalid BSON in " + what + ": " + e.getMessage(), e);
        }
    }

    /** Appends {@code document}: the bytes of a {@link RawBsonDocument} as they are, others encoded. */
    static void writeDocument(ByteBuf out, BsonDocument document) {
        if (document instanceof RawBsonDocument raw) {
            out.writeBytes(raw.getByteBuffer().asNIO());
        } else {
            ByteBufBsonOutput output = new ByteBufBsonOutput(out);
            CODEC.encode(new BsonBinaryWriter(output), document, ENCODER_CONTEXT);
            output.finish();
        }
    }

    /** The document as a {@link RawBsonDocument}, encoding it when it is not one already. */
    static RawBsonDocument toRaw(BsonDocument document) {
        return document instanceof RawBsonDocument raw ? raw : new RawBsonDocument(document, CODEC);
    }
}
