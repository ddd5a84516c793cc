package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 16-byte standard header that starts every MongoDB wire message (all integers little-endian).
 *
 * @param messageLength total size of the message in bytes, header included
 * @param requestId     identifier of this message
 * @param responseTo    requestId of the message this one answers (0 for requests)
 * @param opCode        the raw opcode; see {@link #op()} for the known ones
 */
public record MessageHeader(int messageLength, int requestId, int responseTo, int opCode) {

    /** Size of the header in bytes. */
    public static final int LENGTH = 16;

    static final int REQUEST_ID_OFFSET = 4;
    static final int RESPONSE_TO_OFFSET = 8;
    static final int OP_CODE_OFFSET = 12;

    /**
     * Reads the header at absolute {@code index} of {@code buf}, leaving its indexes untouched.
     *
     * @throws WireProtocolException when fewer than 16 bytes are readable at {@code index}
     */
    public static MessageHeader read(ByteBuf buf, int index) {
        int available = buf.writerIndex() - index;
        if (index < 0 || available < LENGTH) {
            throw WireProtocolException.fatal(
                    "message header: " + Math.max(available, 0) + " bytes (expected: >= " + LENGTH + ")");
        }
        return new MessageHeader(buf.getIntLE(index), buf.getIntLE(index + REQUEST_ID_OFFSET),
                buf.getIntLE(index + RESPONSE_TO_OFFSET), buf.getIntLE(index + OP_CODE_OFFSET));
    }

    /** The requestId of the frame starting at {@code frame.readerIndex()} (at least 16 bytes, as framed). */
    public static int requestIdOf(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + REQUEST_ID_OFFSET);
    }

    /** The responseTo of the frame starting at {@code frame.readerIndex()} (at least 16 bytes, as framed). */
    public static int responseToOf(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + RESPONSE_TO_OFFSET);
    }

    /** The raw opCode of the frame starting at {@code frame.readerIndex()} (at least 16 bytes, as framed). */
    public static int opCodeOf(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + OP_CODE_OFFSET);
    }

    /** The opcode, or {@code null} when {@link #opCode()} is not a known opcode. */
    public OpCode op() {
        return OpCode.fromCode(opCode);
    }

    /** Appends a header to {@code out}. */
    public static void write(ByteBuf out, int messageLength, int requestId, int responseTo, int opCode) {
        out.writeIntLE(messageLength);
        out.writeIntLE(requestId);
        out.writeIntLE(responseTo);
        out.writeIntLE(opCode);
    }

    /**
     * Rewrites the requestId of the frame starting at {@code frame.readerIndex()}, in place. For an
     * OP_MSG that carries a checksum use {@link OpMsg#setRequestId}, which keeps the checksum valid.
     */
    public static void setRequestId(ByteBuf frame, int requestId) {
        frame.setIntLE(frame.readerIndex() + REQUEST_ID_OFFSET, requestId);
    }

    /**
     * Rewrites the responseTo of the frame starting at {@code frame.readerIndex()}, in place. For an
     * OP_MSG that carries a checksum use {@link OpMsg#setResponseTo}, which keeps the checksum valid.
     */
    public static void setResponseTo(ByteBuf frame, int responseTo) {
        frame.setIntLE(frame.readerIndex() + RESPONSE_TO_OFFSET, responseTo);
    }

    /**
     * Reads and checks the header of a complete frame, as the message parsers receive it: the
     * frame's readable bytes are exactly one message of opcode {@code expected}, at least
     * {@code minLength} bytes long.
     */
    static MessageHeader readFrame(ByteBuf frame, OpCode expected, int minLength) {
        checkFrame(frame, expected, minLength);
        return read(frame, frame.readerIndex());
    }

    /**
     * The checks of {@link #readFrame}, reading the header in place (no object): then the frame's messageLength is
     * its readable bytes, and its requestId {@link #requestIdOf}.
     */
    static void checkFrame(ByteBuf frame, OpCode expected, int minLength) {
        int index = frame.readerIndex();
        int available = frame.writerIndex() - index;
        if (available < LENGTH) {
            throw WireProtocolException.fatal(
                    "message header: " + Math.max(available, 0) + " bytes (expected: >= " + LENGTH + ")");
        }
        int messageLength = frame.getIntLE(index);
        int requestId = frame.getIntLE(index + REQUEST_ID_OFFSET);
        int opCode = frame.getIntLE(index + OP_CODE_OFFSET);
        if (opCode != expected.code()) {
            throw WireProtocolException.fatal(requestId, "opCode: " + OpCode.describe(opCode)
                    + " (expected: " + OpCode.describe(expected.code()) + ")");
        }
        if (messageLength != frame.readableBytes()) {
            throw WireProtocolException.fatal(requestId, "messageLength: " + messageLength
                    + " (expected: " + frame.readableBytes() + ", the size of the " + expected + " frame)");
        }
        if (messageLength < minLength) {
            throw WireProtocolException.fatal(requestId, expected + " messageLength: "
                    + messageLength + " (expected: >= " + minLength + ")");
        }
    }
}
