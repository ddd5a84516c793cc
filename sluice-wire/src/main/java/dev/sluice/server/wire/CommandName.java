package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The command name (first key of the body) of an OP_MSG frame, read in place without parsing the
 * message: what the compression handlers need to keep the handshake and authentication commands
 * uncompressed. Every length is checked against the frame; anything malformed gives {@code null}
 * (the message parser reports it properly later).
 */
public final class CommandName {
    private CommandName() {
    }

    /**
     * The first key of the body section of the OP_MSG frame held by {@code frame}'s readable bytes,
     * {@code ""} for an empty body, or {@code null} when the frame is not a well-delimited OP_MSG.
     */
    public static String of(ByteBuf frame) {
        if (frame.readableBytes() < OpMsg.MIN_LENGTH || MessageHeader.opCodeOf(frame) != OpCode.OP_MSG.code()) {
            return null;
        }
        int document = OpMsgBody.indexOf(frame);
        return document < 0 ? null : firstKey(frame, document, document + frame.getIntLE(document));
    }

    private static String firstKey(ByteBuf frame, int document, int documentEnd) {
        int type = frame.getUnsignedByte(document + 4);
        if (type == 0) {
            return "";
        }
        int nameStart = document + 5;
        int nul = frame.indexOf(nameStart, documentEnd, (byte) 0);
        return nul < 0 ? null : frame.toString(nameStart, nul - nameStart, StandardCharsets.UTF_8);
    }
}
