package dev.sluice.bench.proxy;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * The OP_MSG requests of the raw clients, encoded once with Sluice's codec; a client copies a
 * template and patches its requestId (bytes 4..7) per send.
 */
final class WireFrames {
    static final int HEADER = 16;

    private WireFrames() {
    }

    /** {@code hello} as a driver's first message (with client metadata), $db admin. */
    static byte[] hello(String appName) {
        BsonDocument client = new BsonDocument("application", new BsonDocument("name", new BsonString(appName)))
                .append("driver", new BsonDocument("name", new BsonString("sluice-bench")).append("version",
                        new BsonString("0")))
                .append("os", new BsonDocument("type", new BsonString("Linux")));
        return encode(new BsonDocument("hello", new BsonInt32(1)).append("client", client)
                .append("$db", new BsonString("admin")));
    }

    /** A small find forwarded by any proxy: {@code {find: "items", filter: {}, limit: 1, singleBatch: true}}. */
    static byte[] find() {
        return encode(new BsonDocument("find", new BsonString("items")).append("filter", new BsonDocument())
                .append("limit", new BsonInt32(1)).append("singleBatch", BsonBoolean.TRUE)
                .append("$db", new BsonString("bench")));
    }

    static byte[] encode(BsonDocument body) {
        return encode(body, java.util.List.of());
    }

    /** An OP_MSG request with {@code body} and document sequences (kind-1 sections), as bytes. */
    static byte[] encode(BsonDocument body, java.util.List<dev.sluice.server.wire.DocumentSequence> sequences) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 0, 0, body, sequences);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }

    static void setRequestId(byte[] frame, int id) {
        frame[4] = (byte) id;
        frame[5] = (byte) (id >>> 8);
        frame[6] = (byte) (id >>> 16);
        frame[7] = (byte) (id >>> 24);
    }

    static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /** Whether an OP_MSG reply (whole frame in {@code b[0..length)}) has a body with {@code ok: 1}. */
    static boolean isOk(byte[] b, int length) {
        if (length < HEADER + 5 || intLE(b, 12) != 2013 || b[HEADER + 4] != 0) {
            return false;
        }
        RawBsonDocument body = new RawBsonDocument(b, HEADER + 5, length - HEADER - 5);
        BsonValue ok = body.get("ok");
        return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
    }

    /** The body document of an OP_MSG reply (a copy), or null when the frame is not one. */
    static RawBsonDocument body(ByteBuf frame) {
        byte[] b = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), b);
        if (b.length < HEADER + 5 || intLE(b, 12) != 2013 || b[HEADER + 4] != 0) {
            return null;
        }
        return new RawBsonDocument(b, HEADER + 5, b.length - HEADER - 5);
    }

    static boolean isOk(ByteBuf frame) {
        byte[] b = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), b);
        return isOk(b, b.length);
    }
}
