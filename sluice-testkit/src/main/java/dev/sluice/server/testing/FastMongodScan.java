package dev.sluice.server.testing;

import io.netty.buffer.ByteBuf;

/**
 * Reads what {@link FastMongodHandler} needs from an OP_MSG frame in place, without decoding BSON: the command
 * name (compared with known names, no String built) and the number of documents of an insert (in the body's
 * {@code documents} array or a {@code documents} document sequence). Returns -1 / false where the frame is not in
 * the common shape (body first), and the handler falls back to a full parse.
 */
final class FastMongodScan {
    private static final int BODY = 21; // header 16, flags 4, section kind 1

    private FastMongodScan() {
    }

    /** Whether the first section is the body (kind 0), as drivers and Sluice send it. */
    static boolean bodyFirst(ByteBuf frame) {
        return frame.getByte(frame.readerIndex() + 20) == 0;
    }

    /** Whether the body's first key is {@code name} (ASCII); the frame must be {@link #bodyFirst}. */
    static boolean commandIs(ByteBuf frame, String name) {
        return keyIs(frame, frame.readerIndex() + BODY + 4 + 1, name);
    }

    /** The number of documents an insert carries, or -1 when the frame is not scanned here. */
    static int insertedCount(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        int body = start + BODY;
        int bodyEnd = body + frame.getIntLE(body);
        int count = 0;
        int at = body + 4;
        while (at < bodyEnd - 1) {
            byte type = frame.getByte(at);
            int key = at + 1;
            int value = frame.indexOf(key, bodyEnd, (byte) 0) + 1;
            if (value <= 0) {
                return -1;
            }
            if (type == 0x04 && keyIs(frame, key, "documents")) {
                count += elements(frame, value);
            }
            int size = valueSize(frame, type, value);
            if (size < 0) {
                return -1;
            }
            at = value + size;
        }
        for (int section = bodyEnd; section < end; ) { // kind 1: size, identifier, documents
            if (frame.getByte(section) != 1) {
                return -1;
            }
            int size = frame.getIntLE(section + 1);
            int docs = frame.indexOf(section + 5, end, (byte) 0) + 1;
            if (docs <= 0) {
                return -1;
            }
            if (keyIs(frame, section + 5, "documents")) {
                for (int d = docs; d < section + 1 + size; d += frame.getIntLE(d)) {
                    count++;
                }
            }
            section += 1 + size;
        }
        return count;
    }

    private static int elements(ByteBuf frame, int array) {
        int end = array + frame.getIntLE(array);
        int n = 0;
        for (int at = array + 4; at < end - 1; n++) {
            byte type = frame.getByte(at);
            int value = frame.indexOf(at + 1, end, (byte) 0) + 1;
            int size = valueSize(frame, type, value);
            if (value <= 0 || size < 0) {
                return n;
            }
            at = value + size;
        }
        return n;
    }

    /** Whether the NUL-terminated key at {@code at} is {@code name}. */
    private static boolean keyIs(ByteBuf frame, int at, String name) {
        int n = name.length();
        if (at + n >= frame.writerIndex()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (frame.getByte(at + i) != name.charAt(i)) {
                return false;
            }
        }
        return frame.getByte(at + n) == 0;
    }

    /** The bytes of a BSON value of {@code type} at {@code at}, or -1 for a type not handled here. */
    private static int valueSize(ByteBuf frame, byte type, int at) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8; // double, date, timestamp, int64
            case 0x02, 0x0D, 0x0E -> 4 + frame.getIntLE(at); // string, JavaScript, symbol
            case 0x03, 0x04, 0x0F -> frame.getIntLE(at); // document, array, code with scope
            case 0x05 -> 4 + 1 + frame.getIntLE(at); // binary
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0; // undefined, null, min key, max key
            case 0x07 -> 12; // ObjectId
            case 0x08 -> 1; // boolean
            case 0x10 -> 4; // int32
            case 0x13 -> 16; // decimal128
            default -> -1; // regex, DBPointer: not in the benchmarks' inserts
        };
    }
}
