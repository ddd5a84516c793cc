package dev.sluice.server.wire;

import org.bson.BsonDocument;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Assembles wire messages byte by byte, to build the malformed ones the codec must refuse. */
final class RawFrame {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RawFrame header(int requestId, int responseTo, int opCode) {
        return new RawFrame().i32(0).i32(requestId).i32(responseTo).i32(opCode);
    }

    static RawFrame opMsg(int requestId, int flags) {
        return header(requestId, 0, OpCode.OP_MSG.code()).i32(flags);
    }

    RawFrame i32(int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
        return this;
    }

    RawFrame i64(long value) {
        return i32((int) value).i32((int) (value >>> 32));
    }

    RawFrame u8(int value) {
        out.write(value);
        return this;
    }

    RawFrame cstring(String value) {
        bytes(value.getBytes(StandardCharsets.UTF_8));
        return u8(0);
    }

    RawFrame bytes(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    RawFrame doc(BsonDocument document) {
        return bytes(WireTestBase.bsonBytes(document));
    }

    /** A kind-1 section: size computed from the identifier and documents. */
    RawFrame sequence(String identifier, BsonDocument... documents) {
        RawFrame body = new RawFrame().cstring(identifier);
        for (BsonDocument document : documents) {
            body.doc(document);
        }
        byte[] payload = body.out.toByteArray();
        return u8(1).i32(4 + payload.length).bytes(payload);
    }

    int size() {
        return out.size();
    }

    /** The bytes as written, nothing patched. */
    byte[] raw() {
        return out.toByteArray();
    }

    /** The bytes with messageLength set to their count. */
    byte[] build() {
        return withLength(out.size());
    }

    /** The bytes with messageLength forced to {@code messageLength}. */
    byte[] withLength(int messageLength) {
        byte[] bytes = out.toByteArray();
        if (bytes.length >= 4) {
            bytes[0] = (byte) messageLength;
            bytes[1] = (byte) (messageLength >>> 8);
            bytes[2] = (byte) (messageLength >>> 16);
            bytes[3] = (byte) (messageLength >>> 24);
        }
        return bytes;
    }
}
