package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * Walks the elements of a BSON document in place, in a {@link ByteBuf}, for the readers on the request path that
 * look at a few top-level fields (the command's facts, a reply's {@code ok} and cursor): no reader, no key
 * Strings, no copy. A walk goes
 * <pre>
 * int end = doc + buf.getIntLE(doc) - 1;
 * for (int at = doc + 4; at < end; ) {
 *     byte type = buf.getByte(at);
 *     int value = RawBson.keyEnd(buf, at + 1, end);
 *     ... RawBson.keyIs(buf, at + 1, "ok") ...
 *     at = value + RawBson.valueSize(buf, type, value, end);
 * }
 * </pre>
 * Every size is checked against {@code end}: a malformed document throws {@link IllegalArgumentException} (or
 * Netty's {@link IndexOutOfBoundsException}), never reads past the buffer.
 *
 * <p>The same walk over a {@code byte[]} (the {@code byte[]} overloads) is for a request's body, which the parser
 * has already copied out of the frame ({@link OpMsg#bodyBytes()}): plain array reads, where a frame's
 * {@code getByte} is a virtual call through the slice and its checks per byte, and the call sites see several
 * buffer classes (BENCHMARKS.md, "CPU per forwarded operation").
 */
public final class RawBson {
    private RawBson() {
    }

    /** The little-endian int32 at {@code at} (bounds-checked by the array). */
    public static int intLE(byte[] bytes, int at) {
        return bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | bytes[at + 3] << 24;
    }

    /** The little-endian int64 at {@code at} (bounds-checked by the array). */
    public static long longLE(byte[] bytes, int at) {
        return intLE(bytes, at) & 0xFFFFFFFFL | (long) intLE(bytes, at + 4) << 32;
    }

    /** As {@link #keyEnd(ByteBuf, int, int)}, in an array. */
    public static int keyEnd(byte[] bytes, int at, int end) {
        for (int i = at; i < end; i++) {
            if (bytes[i] == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("key at byte " + at + " has no NUL before byte " + end);
    }

    /** As {@link #keyIs(ByteBuf, int, String)}, in an array. */
    public static boolean keyIs(byte[] bytes, int at, String ascii) {
        int n = ascii.length();
        if (at + n >= bytes.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return bytes[at + n] == 0;
    }

    /** As {@link #valueSize(ByteBuf, byte, int, int)}, in an array. */
    public static int valueSize(byte[] bytes, byte type, int value, int end) {
        int size = switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x02, 0x0D, 0x0E -> 4 + checked(intLE(bytes, value), 1);
            case 0x03, 0x04, 0x0F -> checked(intLE(bytes, value), 5);
            case 0x05 -> 5 + checked(intLE(bytes, value), 0);
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x10 -> 4;
            case 0x13 -> 16;
            case 0x0B -> keyEnd(bytes, keyEnd(bytes, value, end), end) - value;
            case 0x0C -> 4 + checked(intLE(bytes, value), 1) + 12;
            default -> throw new IllegalArgumentException("unknown BSON type " + type + " at byte " + (value - 1));
        };
        if (size > end - value) {
            throw new IllegalArgumentException("value at byte " + value + " of " + size + " bytes ends past byte " + end);
        }
        return size;
    }

    /** The index just past the NUL of the key (C string) at {@code at}, which must end before {@code end}. */
    public static int keyEnd(ByteBuf buf, int at, int end) {
        int nul = buf.indexOf(at, end, (byte) 0);
        if (nul < 0) {
            throw new IllegalArgumentException("key at byte " + at + " has no NUL before byte " + end);
        }
        return nul + 1;
    }

    /** Whether the NUL-terminated key at {@code at} is {@code ascii} (an ASCII name). */
    public static boolean keyIs(ByteBuf buf, int at, String ascii) {
        int n = ascii.length();
        if (at + n >= buf.writerIndex()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf.getByte(at + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return buf.getByte(at + n) == 0;
    }

    /** The bytes of the value of {@code type} at {@code value}, checked to end by {@code end}. */
    public static int valueSize(ByteBuf buf, byte type, int value, int end) {
        int size = switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8; // double, date, timestamp, int64
            case 0x02, 0x0D, 0x0E -> 4 + checked(buf.getIntLE(value), 1); // string, JavaScript, symbol
            case 0x03, 0x04, 0x0F -> checked(buf.getIntLE(value), 5); // document, array, code with scope
            case 0x05 -> 5 + checked(buf.getIntLE(value), 0); // binary
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0; // undefined, null, min key, max key
            case 0x07 -> 12; // ObjectId
            case 0x08 -> 1; // boolean
            case 0x10 -> 4; // int32
            case 0x13 -> 16; // decimal128
            case 0x0B -> keyEnd(buf, keyEnd(buf, value, end), end) - value; // regex: two C strings
            case 0x0C -> 4 + checked(buf.getIntLE(value), 1) + 12; // DBPointer
            default -> throw new IllegalArgumentException("unknown BSON type " + type + " at byte " + (value - 1));
        };
        if (size > end - value) {
            throw new IllegalArgumentException("value at byte " + value + " of " + size + " bytes ends past byte " + end);
        }
        return size;
    }

    private static int checked(int size, int min) {
        if (size < min) {
            throw new IllegalArgumentException("size " + size + " (expected: >= " + min + ")");
        }
        return size;
    }

    /** An int32, int64 or double value as a double; NaN for another type (a boolean counts as 0 or 1). */
    public static double number(ByteBuf buf, byte type, int value) {
        return switch (type) {
            case 0x10 -> buf.getIntLE(value);
            case 0x12 -> buf.getLongLE(value);
            case 0x01 -> Double.longBitsToDouble(buf.getLongLE(value));
            case 0x08 -> buf.getByte(value) != 0 ? 1 : 0;
            default -> Double.NaN;
        };
    }
}
