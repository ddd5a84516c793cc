package dev.sluice.server.wire;

/**
 * The opcodes of the MongoDB wire protocol header. Sluice speaks {@link #OP_MSG}, {@link #OP_QUERY}
 * (legacy handshakes), {@link #OP_REPLY} and {@link #OP_COMPRESSED}; the other legacy opcodes are
 * listed so that they can be named in errors.
 */
public enum OpCode {
    OP_REPLY(1),
    OP_UPDATE(2001),
    OP_INSERT(2002),
    OP_QUERY(2004),
    OP_GET_MORE(2005),
    OP_DELETE(2006),
    OP_KILL_CURSORS(2007),
    OP_COMPRESSED(2012),
    OP_MSG(2013);

    private final int code;

    OpCode(int code) {
        this.code = code;
    }

    /** The value of the header's {@code opCode} field. */
    public int code() {
        return code;
    }

    /** The opcode for {@code code}, or {@code null} when it is not one of the known opcodes. */
    public static OpCode fromCode(int code) {
        switch (code) {
            case 1: return OP_REPLY;
            case 2001: return OP_UPDATE;
            case 2002: return OP_INSERT;
            case 2004: return OP_QUERY;
            case 2005: return OP_GET_MORE;
            case 2006: return OP_DELETE;
            case 2007: return OP_KILL_CURSORS;
            case 2012: return OP_COMPRESSED;
            case 2013: return OP_MSG;
            default: return null;
        }
    }

    /** {@code "OP_MSG(2013)"} for known codes, {@code "9999"} otherwise: for error messages. */
    static String describe(int code) {
        OpCode op = fromCode(code);
        return op == null ? Integer.toString(code) : op.name() + '(' + code + ')';
    }
}
