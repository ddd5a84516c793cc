package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsgBody;
import dev.sluice.server.wire.RawBson;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields routing needs ({@code ok}, {@code cursor.id}, {@code cursor.ns}) straight
 * from an OP_MSG reply frame, in place ({@link RawBson}): no copy, no reader, no key Strings; a reply that is ok
 * with no error code and no open cursor allocates nothing.
 */
public final class ReplyInspector {
    private static final byte DOUBLE = 0x01;
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;

    /** What a reply says about its cursor: id 0 and ns null when it has none open (an exhausted cursor has id 0). */
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

    /** The codes of a reply that is ok with no write concern error (most replies: no allocation). */
    private static final Codes OK = new Codes(true, null, null);
    private static final Codes NOT_OK = new Codes(false, null, null);
    private static final CursorInfo OK_NO_CURSOR = new CursorInfo(true, 0, null);

    private ReplyInspector() {
    }

    /** Reads {@code ok}, {@code code} and {@code writeConcernError.code} of an OP_MSG reply frame; malformed: NONE. */
    public static Codes codes(ByteBuf frame) {
        int body = OpMsgBody.indexOf(frame);
        if (body < 0) {
            return Codes.NONE;
        }
        boolean ok = false;
        Integer code = null;
        Integer wce = null;
        try {
            int end = body + frame.getIntLE(body) - 1;
            for (int at = body + 4; at < end; ) {
                byte type = frame.getByte(at);
                int value = RawBson.keyEnd(frame, at + 1, end);
                if (RawBson.keyIs(frame, at + 1, "ok")) {
                    ok = RawBson.number(frame, type, value) == 1.0;
                } else if (RawBson.keyIs(frame, at + 1, "code") && isNumber(type)) {
                    code = (int) RawBson.number(frame, type, value);
                } else if (RawBson.keyIs(frame, at + 1, "writeConcernError") && type == DOCUMENT) {
                    wce = codeOf(frame, value, end);
                }
                at = value + RawBson.valueSize(frame, type, value, end);
            }
        } catch (RuntimeException e) {
            return Codes.NONE;
        }
        if (code == null && wce == null) {
            return ok ? OK : NOT_OK;
        }
        return new Codes(ok, code, wce);
    }

    /** {@code code} of the document at {@code doc} (a writeConcernError), or null. */
    private static Integer codeOf(ByteBuf frame, int doc, int limit) {
        Integer code = null;
        int end = doc + frame.getIntLE(doc) - 1;
        if (end >= limit) {
            throw new IllegalArgumentException("document at byte " + doc + " ends past its parent");
        }
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

    /** Inspects an OP_MSG reply frame (header included). Malformed replies give {@link CursorInfo#NONE}. */
    public static CursorInfo inspect(ByteBuf frame) {
        int body = OpMsgBody.indexOf(frame);
        if (body < 0) {
            return CursorInfo.NONE;
        }
        boolean ok = false;
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
                    int cursorEnd = value + frame.getIntLE(value) - 1;
                    if (cursorEnd >= end) {
                        return CursorInfo.NONE;
                    }
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
                }
                at = value + RawBson.valueSize(frame, type, value, end);
            }
        } catch (RuntimeException e) {
            return CursorInfo.NONE;
        }
        if (cursorId == 0) { // no open cursor: its ns is not needed (and not read into a String)
            return ok ? OK_NO_CURSOR : CursorInfo.NONE;
        }
        return new CursorInfo(ok, cursorId, ns < 0 ? null : string(frame, ns));
    }

    /** The BSON string at {@code value} (int32 size counting the NUL, then UTF-8). */
    private static String string(ByteBuf frame, int value) {
        int size = frame.getIntLE(value);
        return frame.toString(value + 4, size - 1, StandardCharsets.UTF_8);
    }
}
