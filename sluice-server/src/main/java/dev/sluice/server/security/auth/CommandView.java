package dev.sluice.server.security.auth;

import dev.sluice.server.wire.AsciiStrings;
import dev.sluice.server.wire.RawBson;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonArray;
import org.bson.RawBsonDocument;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A command's top-level fields read once, in place, for authorization, which looks several of them up: on a
 * {@link RawBsonDocument} each lookup is a scan that builds a reader and a String per key it passes (three quarters
 * of the 2.4 KB that authorizing a find cost, BENCHMARKS.md). Each value is what {@link RawBsonDocument#get} gives
 * for its key: the first of duplicate keys, sub-documents and arrays as raw views of the same bytes, the usual
 * scalars decoded, any other type through {@link RawBsonDocument#get} itself. Only for small commands (at most
 * {@link #MAX_BYTES}): a large one may hold many fields, and is left raw.
 */
public final class CommandView {
    /** The largest command read into a view (a map entry per field); larger ones stay raw. */
    public static final int MAX_BYTES = 64 * 1024;

    private CommandView() {
    }

    /** The view of {@code command}, or {@code command} itself when it is not raw, is large, or is malformed. */
    public static BsonDocument of(BsonDocument command) {
        if (!(command instanceof RawBsonDocument raw) || raw.getByteBuffer().remaining() > MAX_BYTES) {
            return command;
        }
        ByteBuffer nio = raw.getByteBuffer().asNIO();
        byte[] bytes = nio.array();
        int doc = nio.arrayOffset() + nio.position();
        BsonDocument view = new BsonDocument();
        try {
            int end = doc + RawBson.intLE(bytes, doc) - 1;
            for (int at = doc + 4; at < end; ) {
                byte type = bytes[at];
                int keyEnd = RawBson.keyEnd(bytes, at + 1, end); // the value's first byte
                int size = RawBson.valueSize(bytes, type, keyEnd, end);
                String key = AsciiStrings.of(bytes, at + 1, keyEnd - 1 - (at + 1));
                if (!view.containsKey(key)) { // the first of duplicates, as RawBsonDocument#get
                    view.put(key, value(raw, key, bytes, type, keyEnd, size));
                }
                at = keyEnd + size;
            }
        } catch (RuntimeException e) {
            return command; // validated before; if not, the raw document answers as it always did
        }
        return view;
    }

    private static BsonValue value(RawBsonDocument raw, String key, byte[] bytes, byte type, int at, int size) {
        return switch (type) {
            case 0x01 -> new BsonDouble(Double.longBitsToDouble(RawBson.longLE(bytes, at)));
            case 0x02 -> new BsonString(string(bytes, at + 4, RawBson.intLE(bytes, at) - 1));
            case 0x03 -> new RawBsonDocument(bytes, at, size);
            case 0x04 -> new RawBsonArray(bytes, at, size);
            case 0x08 -> bytes[at] == 0 || bytes[at] == 1 ? BsonBoolean.valueOf(bytes[at] == 1) : raw.get(key);
            case 0x0A -> BsonNull.VALUE;
            case 0x10 -> new BsonInt32(RawBson.intLE(bytes, at));
            case 0x12 -> new BsonInt64(RawBson.longLE(bytes, at));
            default -> raw.get(key); // rare at the top of a command: read as before
        };
    }

    private static String string(byte[] bytes, int at, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[at + i] < 0) {
                return new String(bytes, at, length, StandardCharsets.UTF_8);
            }
        }
        return AsciiStrings.of(bytes, at, length);
    }
}
