package dev.sluice.server.wire;

import io.netty.handler.codec.TooLongFrameException;

/** An OP_COMPRESSED message that would be larger than allowed once decompressed (nothing was decompressed). */
public final class DecompressedTooLongException extends TooLongFrameException {
    private static final long serialVersionUID = 1L;

    private final long plainLength;

    DecompressedTooLongException(long plainLength, long maxLength, String setting) {
        super("OP_COMPRESSED message of " + plainLength + " bytes once decompressed (expected: <= " + maxLength
                + ", " + setting + ")");
        this.plainLength = plainLength;
    }

    /** 16 + uncompressedSize, as the message declared it. */
    public long plainLength() {
        return plainLength;
    }
}
