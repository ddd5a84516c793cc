package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsgBody;
import io.netty.buffer.ByteBuf;
import org.bson.BsonBinaryReader;
import org.bson.BsonType;
import org.bson.ByteBufNIO;
import org.bson.io.ByteBufferBsonInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the few fields routing needs ({@code ok}, {@code cursor.id}, {@code cursor.ns}) straight
 * from an OP_MSG reply frame, without copying or decoding the rest of the document.
 */
public final class ReplyInspector {
    /** What a reply says about its cursor: id 0 and ns null when it has none. */
    public record CursorInfo(boolean ok, long cursorId, String namespace) {
        static final CursorInfo NONE = new CursorInfo(false, 0, null);
    }

    /**
     * The error codes a reply carries: its own ({@code ok: 0}) and its write concern error's.
     *
     * @param ok               the reply's {@code ok}
     * @param code             {@code code} of an {@code ok: 0} reply, or null
     * @param writeConcernCode {@code writeConcernError.code}, or null
     */
    public record Codes(boolean ok, Integer code, Integer writeConcernCode) {
        static final Codes NONE = new Codes(false, null, null);
    }

    private ReplyInspector() {
    }

    /** Reads {@code ok}, {@code code} and {@code writeConcernError.code} of an OP_MSG reply frame; malformed: NONE. */
    public static Codes codes(ByteBuf frame) {
        ByteBuffer body = OpMsgBody.nioOf(frame);
        if (body == null) {
            return Codes.NONE;
        }
        boolean ok = false;
        Integer code = null;
        Integer wce = null;
        try (BsonBinaryReader reader = new BsonBinaryReader(new ByteBufferBsonInput(
                new ByteBufNIO(body.order(ByteOrder.LITTLE_ENDIAN))))) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                if ("ok".equals(name)) {
                    ok = readNumber(reader) == 1.0;
                } else if ("code".equals(name) && isNumber(reader.getCurrentBsonType())) {
                    code = (int) readNumber(reader);
                } else if ("writeConcernError".equals(name) && reader.getCurrentBsonType() == BsonType.DOCUMENT) {
                    reader.readStartDocument();
                    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                        if ("code".equals(reader.readName()) && isNumber(reader.getCurrentBsonType())) {
                            wce = (int) readNumber(reader);
                        } else {
                            reader.skipValue();
                        }
                    }
                    reader.readEndDocument();
                } else {
                    reader.skipValue();
                }
            }
        } catch (RuntimeException e) {
            return Codes.NONE;
        }
        return new Codes(ok, code, wce);
    }

    private static boolean isNumber(BsonType t) {
        return t == BsonType.INT32 || t == BsonType.INT64 || t == BsonType.DOUBLE;
    }

    /** Inspects an OP_MSG reply frame (header included). Malformed replies give {@link CursorInfo#NONE}. */
    public static CursorInfo inspect(ByteBuf frame) {
        ByteBuffer body = OpMsgBody.nioOf(frame);
        return body == null ? CursorInfo.NONE : readBody(body);
    }

    private static CursorInfo readBody(ByteBuffer nio) {
        boolean ok = false;
        long cursorId = 0;
        String ns = null;
        try (BsonBinaryReader reader = new BsonBinaryReader(new ByteBufferBsonInput(
                new ByteBufNIO(nio.order(ByteOrder.LITTLE_ENDIAN))))) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                if ("ok".equals(name)) {
                    ok = readNumber(reader) == 1.0;
                } else if ("cursor".equals(name) && reader.getCurrentBsonType() == BsonType.DOCUMENT) {
                    reader.readStartDocument();
                    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                        String field = reader.readName();
                        if ("id".equals(field)) {
                            cursorId = readLong(reader);
                        } else if ("ns".equals(field) && reader.getCurrentBsonType() == BsonType.STRING) {
                            ns = reader.readString();
                        } else {
                            reader.skipValue();
                        }
                    }
                    reader.readEndDocument();
                } else {
                    reader.skipValue();
                }
            }
        } catch (RuntimeException e) {
            return CursorInfo.NONE;
        }
        return new CursorInfo(ok, cursorId, ns);
    }

    private static long readLong(BsonBinaryReader reader) {
        switch (reader.getCurrentBsonType()) {
            case INT64:
                return reader.readInt64();
            case INT32:
                return reader.readInt32();
            default:
                reader.skipValue();
                return 0;
        }
    }

    private static double readNumber(BsonBinaryReader reader) {
        switch (reader.getCurrentBsonType()) {
            case INT32:
                return reader.readInt32();
            case INT64:
                return reader.readInt64();
            case DOUBLE:
                return reader.readDouble();
            case BOOLEAN:
                return reader.readBoolean() ? 1 : 0;
            default:
                reader.skipValue();
                return Double.NaN;
        }
    }
}
