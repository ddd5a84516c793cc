package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsgBody;
import dev.sluice.server.wire.RawBson;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields routing needs ({@code ok}, {@code code}, {@code writeConcernError.code}, {@code cursor.id},
 * {@code cursor.ns}) straight from an OP_MSG reply frame, in place ({@link RawBson}) and in one walk: no copy, no
 * reader, no key Strings; a reply that is ok with no error code and no open cursor allocates nothing.
 */
public final class ReplyInspector {
    private static final byte DOUBLE = 0x01;
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;

    /**
     * What a reply says.
     *
     * @param ok               the reply's {@code ok}
     * @param code             {@code code} of the reply, or null
     * @param writeConcernCode {@code writeConcernError.code}, or null
     * @param cursorId         {@code cursor.id}, 0 when no cursor is open (an exhausted cursor has id 0)
     * @param namespace        {@code cursor.ns} of an open cursor, else null
     */
    public record Facts(boolean ok, Integer code, Integer writeConcernCode, long cursorId, String namespace) {
        /** Malformed, or not ok with no code. */
        static final Facts NONE = new Facts(false, null, null, 0, null);
        /** Ok, no error code, no open cursor: most replies. */
        static final Facts OK = new Facts(true, null, null, 0, null);
    }

    private ReplyInspector() {
    }

    /** Reads the facts of an OP_MSG reply frame (header included); a malformed reply gives {@link Facts#NONE}. */
    public static Facts read(ByteBuf frame) {
        int body = OpMsgBody.indexOf(frame);
        if (body < 0) {
            return Facts.NONE;
        }
        boolean ok = false;
        Integer code = null;
        Integer wce = null;
        long cursorId = 0;
        int ns = -1;
        try {
            int end = body + frame.getIntLE(body) - 1;
            for (int at = body + 4; at < end; ) {
                byte type = frame.getByte(at);
                int value = RawBson.keyEnd(frame, at + 1, end);
                if (RawBson.keyIs(frame, at + 1, "ok")) {
                    ok = RawBson.number(frame, type, value) == 1.0;
                } else if (RawBson.keyIs(frame, at + 1, "cursor") && type == DOCUMENT) {
                    int cursorEnd = subdocumentEnd(frame, value, end);
                    for (int c = value + 4; c < cursorEnd; ) {
                        byte t = frame.getByte(c);
                        int v = RawBson.keyEnd(frame, c + 1, cursorEnd);
                        if (RawBson.keyIs(frame, c + 1, "id")) {
                            cursorId = t == INT64 ? frame.getLongLE(v) : t == INT32 ? frame.getIntLE(v) : 0;
                        } else if (RawBson.keyIs(frame, c + 1, "ns") && t == STRING) {
                            ns = v;
                        }
                        c = v + RawBson.valueSize(frame, t, v, cursorEnd);
                    }
                } else if (RawBson.keyIs(frame, at + 1, "code") && isNumber(type)) {
                    code = (int) RawBson.number(frame, type, value);
                } else if (RawBson.keyIs(frame, at + 1, "writeConcernError") && type == DOCUMENT) {
                    wce = codeOf(frame, value, end);
                }
                at = value + RawBson.valueSize(frame, type, value, end);
            }
        } catch (RuntimeException e) {
            return Facts.NONE;
        }
        if (code == null && wce == null && cursorId == 0) { // no open cursor: its ns is not needed
            return ok ? Facts.OK : Facts.NONE;
        }
        return new Facts(ok, code, wce, cursorId, cursorId == 0 || ns < 0 ? null : string(frame, ns));
    }

    /** The end (index of the trailing NUL) of the document at {@code doc}, which must end before {@code limit}. */
    private static int subdocumentEnd(ByteBuf frame, int doc, int limit) {
        int end = doc + frame.getIntLE(doc) - 1;
        if (end >= limit) {
            throw new IllegalArgumentException("document at byte " + doc + " ends past its parent");
        }
        return end;
    }

    /** {@code code} of the document at {@code doc} (a writeConcernError), or null. */
    private static Integer codeOf(ByteBuf frame, int doc, int limit) {
        Integer code = null;
        int end = subdocumentEnd(frame, doc, limit);
        for (int at = doc + 4; at < end; ) {
            byte type = frame.getByte(at);
            int value = RawBson.keyEnd(frame, at + 1, end);
            if (RawBson.keyIs(frame, at + 1, "code") && isNumber(type)) {
                code = (int) RawBson.number(frame, type, value);
            }
            at = value + RawBson.valueSize(frame, type, value, end);
        }
        return code;
    }

    private static boolean isNumber(byte type) {
        return type == INT32 || type == INT64 || type == DOUBLE;
    }

    /** The BSON string at {@code value} (int32 size counting the NUL, then UTF-8). */
    private static String string(ByteBuf frame, int value) {
        int size = frame.getIntLE(value);
        return frame.toString(value + 4, size - 1, StandardCharsets.UTF_8);
    }
}
