package dev.sluice.server.wire;

import io.netty.util.concurrent.FastThreadLocal;
import org.bson.BsonSerializationException;

/**
 * Checks that bytes are one well-formed BSON document, in place: every element, nested documents and arrays
 * included, so that decoding any part of it later (a {@link org.bson.RawBsonDocument} accessor, {@code toJson})
 * cannot fail. It accepts what {@link org.bson.BsonBinaryReader} reads without error (the reference, kept in the
 * tests, which compare the two on generated and mutated documents) and allocates nothing: no reader, no key
 * Strings.
 *
 * <p>What is checked: each document's int32 size (at least 5, within its parent) and its terminating NUL exactly at
 * that size; each element's type (a known BSON type); keys, regex patterns and options NUL-terminated within the
 * document; strings, JavaScript and symbols with a size of at least 1 whose last byte is the NUL; booleans 0 or 1;
 * binary sizes not negative, old-style binary (subtype 2) with its inner size equal to the size minus 4; a
 * JavaScript with scope whose code is a valid string, whose scope is a valid document and whose total size is
 * exact; a DBPointer's string and ObjectId; fixed-size values within the document.
 *
 * <p>The walk is iterative (a deeply nested document cannot overflow the stack): the ends of the open documents
 * are kept in a per-thread array reused between calls (a deeper one than usual is not kept).
 */
final class BsonValidator {
    /** Open documents kept between calls; a walk deeper than this allocates its own array. */
    private static final int KEPT_DEPTH = 64;
    private static final FastThreadLocal<int[]> ENDS = new FastThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[KEPT_DEPTH];
        }
    };

    private BsonValidator() {
    }

    /** @throws BsonSerializationException when invalid, naming the byte (relative to {@code offset}) and the rule */
    static void validate(byte[] bytes, int offset, int length) {
        int limit = offset + length;
        int[] ends = ENDS.get();
        // ends[i] >= 0: end (exclusive) of an open document or array; ~end: of a JavaScript with scope
        int depth = 0;
        int at = offset;
        ends[depth++] = openDocument(bytes, at, limit, offset);
        at += 4;
        while (depth > 0) {
            int end = ends[depth - 1];
            if (at >= end) {
                throw error(offset, at, "document ends before its terminating NUL (size ends at byte " + (end - offset)
                        + ")");
            }
            int type = bytes[at++];
            if (type == 0) {
                if (at != end) {
                    throw error(offset, at, "document's terminating NUL is not at its size (" + (end - offset) + ")");
                }
                depth--;
                if (depth > 0 && ends[depth - 1] < 0) { // the scope of a JavaScript with scope ended: so must it
                    if (at != ~ends[depth - 1]) {
                        throw error(offset, at, "JavaScript with scope does not end at its size ("
                                + (~ends[depth - 1] - offset) + ")");
                    }
                    depth--;
                }
                continue;
            }
            at = cstringEnd(bytes, at, end, offset) + 1; // the key (an array's index too)
            switch (type) {
                case 0x01, 0x09, 0x11, 0x12 -> at = fixed(at, 8, end, offset); // double, date, timestamp, int64
                case 0x07 -> at = fixed(at, 12, end, offset); // ObjectId
                case 0x10 -> at = fixed(at, 4, end, offset); // int32
                case 0x13 -> at = fixed(at, 16, end, offset); // decimal128
                case 0x06, 0x0A, 0x7F, -1 -> { // undefined, null, max key, min key (0xFF): no value
                }
                case 0x08 -> {
                    fixed(at, 1, end, offset);
                    if (bytes[at] != 0 && bytes[at] != 1) {
                        throw error(offset, at, "boolean byte " + bytes[at] + " (expected: 0 or 1)");
                    }
                    at++;
                }
                case 0x02, 0x0D, 0x0E -> at = string(bytes, at, end, offset); // string, JavaScript, symbol
                case 0x0B -> at = cstringEnd(bytes, cstringEnd(bytes, at, end, offset) + 1, end, offset) + 1; // regex
                case 0x0C -> at = fixed(string(bytes, at, end, offset), 12, end, offset); // DBPointer
                case 0x05 -> at = binary(bytes, at, end, offset);
                case 0x03, 0x04 -> { // document, array
                    ends = push(ends, depth++, openDocument(bytes, at, end, offset));
                    at += 4;
                }
                case 0x0F -> { // JavaScript with scope: int32 total, code string, scope document
                    fixed(at, 4, end, offset);
                    int total = intLE(bytes, at);
                    if (total < 4 + 5 + 5 || total > end - at) {
                        throw error(offset, at, "JavaScript with scope size " + total + " (expected: 14.."
                                + (end - at) + ")");
                    }
                    int scopeEnd = at + total;
                    int scope = string(bytes, at + 4, scopeEnd, offset);
                    ends = push(ends, depth++, ~scopeEnd);
                    ends = push(ends, depth++, openDocument(bytes, scope, scopeEnd, offset));
                    at = scope + 4;
                }
                default -> throw error(offset, at, "unknown BSON type " + type);
            }
        }
        if (at != limit) {
            throw new BsonSerializationException("document ends at byte " + (at - offset) + " (expected: " + length
                    + ")");
        }
    }

    /** The end (exclusive) of the document whose int32 size is at {@code at}; it must lie within {@code end}. */
    private static int openDocument(byte[] bytes, int at, int end, int offset) {
        fixed(at, 4, end, offset);
        int size = intLE(bytes, at);
        if (size < 5 || size > end - at) {
            throw error(offset, at, "document size " + size + " (expected: 5.." + (end - at) + ")");
        }
        return at + size;
    }

    /** Skips a string value: a size of at least 1 within {@code end} whose last byte is the NUL. */
    private static int string(byte[] bytes, int at, int end, int offset) {
        fixed(at, 4, end, offset);
        int size = intLE(bytes, at);
        if (size < 1 || size > end - at - 4) {
            throw error(offset, at, "string size " + size + " (expected: 1.." + (end - at - 4) + ")");
        }
        if (bytes[at + 4 + size - 1] != 0) {
            throw error(offset, at, "string of size " + size + " does not end with a NUL");
        }
        return at + 4 + size;
    }

    /** Skips a binary value: size, subtype, bytes; old-style binary (subtype 2) repeats its size minus 4. */
    private static int binary(byte[] bytes, int at, int end, int offset) {
        fixed(at, 5, end, offset);
        int size = intLE(bytes, at);
        if (size < 0 || size > end - at - 5) {
            throw error(offset, at, "binary size " + size + " (expected: 0.." + (end - at - 5) + ")");
        }
        if (bytes[at + 4] == 2 && (size < 4 || intLE(bytes, at + 5) != size - 4)) {
            throw error(offset, at, "old binary (subtype 2) of size " + size + " does not repeat its size minus 4");
        }
        return at + 5 + size;
    }

    private static int fixed(int at, int size, int end, int offset) {
        if (size > end - at) {
            throw error(offset, at, "value of " + size + " bytes ends past the document (" + (end - at) + " left)");
        }
        return at + size;
    }

    private static int cstringEnd(byte[] bytes, int at, int end, int offset) {
        for (int i = at; i < end; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        throw error(offset, at, "C string (key or regex) has no NUL before the document's end");
    }

    private static int[] push(int[] ends, int depth, int end) {
        int[] out = ends;
        if (depth == ends.length) {
            out = java.util.Arrays.copyOf(ends, ends.length * 2); // deeper than usual: not kept for the next call
        }
        out[depth] = end;
        return out;
    }

    private static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | b[at + 3] << 24;
    }

    private static BsonSerializationException error(int offset, int at, String what) {
        return new BsonSerializationException("at byte " + (at - offset) + ": " + what);
    }
}
