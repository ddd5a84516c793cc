package dev.sluice.server.wire;

import org.bson.BsonBinaryReader;
import org.bson.BsonBinarySubType;
import org.bson.BsonSerializationException;
import org.bson.BsonType;

import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The reference for {@link BsonValidator} (it was the validator until the request path had to stop allocating a
 * String per key): checks that bytes are one well-formed BSON document by walking it with {@link BsonBinaryReader}:
 * every element, nested documents and arrays included, so that decoding any part of it later
 * (a {@link org.bson.RawBsonDocument} accessor, {@code toJson}) cannot fail.
 *
 * <p>The walk is iterative (a deeply nested document cannot overflow the stack) and skips values
 * rather than decoding them, except where skipping checks too little: booleans must be 0 or 1,
 * strings NUL-terminated, old-style binary consistent, and a JavaScript scope a valid document.
 */
final class ReaderBsonValidator {

    private ReaderBsonValidator() {
    }

    /** @throws RuntimeException (from org.bson, mostly {@link BsonSerializationException}) when invalid */
    static void validate(byte[] bytes, int offset, int length) {
        ByteBuffer view = ByteBuffer.wrap(bytes, offset, length).slice();
        try (BsonBinaryReader reader = new BsonBinaryReader(view)) {
            BitSet inArray = new BitSet();
            int depth = 0;
            reader.readStartDocument();
            while (depth >= 0) {
                BsonType type = reader.readBsonType();
                if (type == BsonType.END_OF_DOCUMENT) {
                    if (inArray.get(depth)) {
                        reader.readEndArray();
                    } else {
                        reader.readEndDocument();
                    }
                    inArray.clear(depth);
                    depth--;
                    continue;
                }
                if (!inArray.get(depth)) {
                    reader.skipName(); // inside an array the reader consumes the index itself
                }
                switch (type) {
                    case DOCUMENT:
                        reader.readStartDocument();
                        depth++;
                        break;
                    case ARRAY:
                        reader.readStartArray();
                        inArray.set(++depth);
                        break;
                    case JAVASCRIPT_WITH_SCOPE:
                        reader.readJavaScriptWithScope();
                        reader.readStartDocument();
                        depth++;
                        break;
                    case BOOLEAN:
                        reader.readBoolean();
                        break;
                    case DB_POINTER:
                        reader.readDBPointer();
                        break;
                    case STRING:
                    case SYMBOL:
                    case JAVASCRIPT:
                        skipString(reader, bytes, offset);
                        break;
                    case BINARY:
                        if (reader.peekBinarySubType() == BsonBinarySubType.OLD_BINARY.getValue()) {
                            reader.readBinaryData();
                        } else {
                            reader.skipValue();
                        }
                        break;
                    default:
                        reader.skipValue();
                }
            }
            int consumed = reader.getBsonInput().getPosition();
            if (consumed != length) {
                throw new BsonSerializationException("document ends at byte " + consumed + " (expected: " + length + ")");
            }
        }
    }

    /** Skips a string value, checking what skipping alone does not: a positive size and the NUL. */
    private static void skipString(BsonBinaryReader reader, byte[] bytes, int offset) {
        int start = reader.getBsonInput().getPosition();
        reader.skipValue();
        int at = offset + start;
        int size = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | bytes[at + 3] << 24;
        if (size < 1 || bytes[at + 4 + size - 1] != 0) {
            throw new BsonSerializationException("string at byte " + start + ": size " + size
                    + " does not end with a NUL (expected: size >= 1 counting the NUL)");
        }
    }
}
