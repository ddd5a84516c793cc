package dev.sluice.server.testing;

import dev.sluice.server.wire.RawBson;
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
        return RawBson.keyIs(frame, frame.readerIndex() + BODY + 4 + 1, name);
    }

    /** The number of documents an insert carries, or -1 when the frame is not scanned here (or malformed). */
    static int insertedCount(ByteBuf frame) {
        try {
            return documents(frame);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return -1; // the handler's full parse reports it
        }
    }

    private static int documents(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        int body = start + BODY;
        int bodyEnd = body + frame.getIntLE(body) - 1;
        int count = 0;
        for (int at = body + 4; at < bodyEnd; ) { // the walk of RawBson
            byte type = frame.getByte(at);
            int value = RawBson.keyEnd(frame, at + 1, bodyEnd);
            if (type == 0x04 && RawBson.keyIs(frame, at + 1, "documents")) {
                count += elements(frame, value);
            }
            at = value + RawBson.valueSize(frame, type, value, bodyEnd);
        }
        for (int section = bodyEnd + 1; section < end; ) { // kind 1: size, identifier, documents
            if (frame.getByte(section) != 1) {
                return -1;
            }
            int size = frame.getIntLE(section + 1);
            int docs = RawBson.keyEnd(frame, section + 5, end);
            if (RawBson.keyIs(frame, section + 5, "documents")) {
                for (int d = docs; d < section + 1 + size; d += frame.getIntLE(d)) {
                    count++;
                }
            }
            section += 1 + size;
        }
        return count;
    }

    private static int elements(ByteBuf frame, int array) {
        int end = array + frame.getIntLE(array) - 1;
        int n = 0;
        for (int at = array + 4; at < end; n++) {
            byte type = frame.getByte(at);
            int value = RawBson.keyEnd(frame, at + 1, end);
            at = value + RawBson.valueSize(frame, type, value, end);
        }
        return n;
    }
}
