package dev.sluice.server.client;

import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import dev.sluice.server.wire.OpReply;
import dev.sluice.server.wire.RawBson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Translation between legacy OP_QUERY commands / OP_REPLY and OP_MSG, for old clients. */
final class LegacyReplies {
    /** OP_REPLY flag: the server supports awaitData. */
    private static final int AWAIT_CAPABLE = 8;

    private LegacyReplies() {
    }

    static ByteBuf opReply(ByteBufAllocator alloc, int requestId, int responseTo, BsonDocument doc) {
        return OpReply.encode(alloc, requestId, responseTo, AWAIT_CAPABLE, 0L, 0, List.of(doc));
    }

    /** An OP_QUERY command as the equivalent OP_MSG (same requestId), with $db and $readPreference. */
    static ByteBuf toOpMsg(OpQuery query, RawBsonDocument body, ByteBufAllocator alloc) {
        return OpMsg.encode(alloc, query.requestId(), 0, 0, body);
    }

    /**
     * The body of the OP_MSG an OP_QUERY command becomes: the command's elements as they are, then {@code $db} and,
     * for a wrapped query that has one, {@code $readPreference} (any the command carried itself are dropped, as a
     * document's later value of a key replaces the earlier). Built in one pass over the validated bytes, whatever
     * the number of fields: no object per field.
     */
    static RawBsonDocument opMsgBody(OpQuery query) {
        RawBsonDocument command = query.commandDocument() instanceof RawBsonDocument raw ? raw
                : new RawBsonDocument(query.commandDocument(), CODEC);
        BsonDocument readPreference = query.readPreference();
        ByteBuffer nio = command.getByteBuffer().asNIO();
        byte[] in = nio.array();
        int doc = nio.arrayOffset() + nio.position();
        int end = doc + RawBson.intLE(in, doc) - 1; // the trailing NUL
        byte[] db = query.database().getBytes(StandardCharsets.UTF_8);
        byte[] rp = readPreference == null ? null : bytesOf(readPreference);
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - doc + 32 + db.length + (rp == null ? 0 : rp.length + 17));
        out.write(in, doc, 4); // the length, patched below
        for (int at = doc + 4; at < end; ) {
            byte type = in[at];
            int value = RawBson.keyEnd(in, at + 1, end);
            int next = value + RawBson.valueSize(in, type, value, end);
            if (!RawBson.keyIs(in, at + 1, "$db") && (rp == null || !RawBson.keyIs(in, at + 1, "$readPreference"))) {
                out.write(in, at, next - at);
            }
            at = next;
        }
        out.write(0x02);
        out.writeBytes("$db\0".getBytes(StandardCharsets.US_ASCII));
        writeIntLE(out, db.length + 1);
        out.writeBytes(db);
        out.write(0);
        if (rp != null) {
            out.write(0x03);
            out.writeBytes("$readPreference\0".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(rp);
        }
        out.write(0);
        byte[] body = out.toByteArray();
        body[0] = (byte) body.length;
        body[1] = (byte) (body.length >>> 8);
        body[2] = (byte) (body.length >>> 16);
        body[3] = (byte) (body.length >>> 24);
        return new RawBsonDocument(body);
    }

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private static byte[] bytesOf(BsonDocument document) {
        ByteBuffer nio = new RawBsonDocument(document, CODEC).getByteBuffer().asNIO();
        byte[] bytes = new byte[nio.remaining()];
        nio.get(bytes);
        return bytes;
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** An OP_MSG reply as OP_REPLY (one document). */
    static ByteBuf toOpReply(ByteBuf opMsgReply, ByteBufAllocator alloc) {
        OpMsg msg = OpMsg.parse(opMsgReply);
        return OpReply.encode(alloc, msg.requestId(), msg.responseTo(), AWAIT_CAPABLE, 0L, 0, List.of(msg.body()));
    }
}
