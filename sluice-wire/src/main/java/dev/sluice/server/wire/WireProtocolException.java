package dev.sluice.server.wire;

import io.netty.handler.codec.DecoderException;

import java.util.OptionalInt;

/**
 * A message that breaks the MongoDB wire protocol. The message names the field, the value seen and
 * what was expected, e.g. {@code messageLength: 12 (expected: >= 16)}.
 *
 * <p>It extends Netty's {@link DecoderException} (a {@link RuntimeException}) so that when
 * {@link FrameDecoder} throws it, the pipeline delivers it to {@code exceptionCaught} as is, not
 * wrapped.
 *
 * <p>{@link #isFatal()} tells whether the connection must be closed: true whenever the framing of
 * the stream can no longer be trusted (a bad length, an unknown section kind, a checksum
 * mismatch...). A non-fatal error (a well-delimited but invalid BSON document) may be answered
 * with an error reply framed with {@link #requestId()} and the connection kept.
 */
public final class WireProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    private final boolean fatal;
    private final boolean requestIdKnown;
    private final int requestId;

    private WireProtocolException(String message, Throwable cause, boolean fatal,
            boolean requestIdKnown, int requestId) {
        super(message, cause);
        this.fatal = fatal;
        this.requestIdKnown = requestIdKnown;
        this.requestId = requestId;
    }

    /** A fatal error seen before the message's requestId could be read. */
    public static WireProtocolException fatal(String message) {
        return new WireProtocolException(message, null, true, false, 0);
    }

    /** A fatal error in the message with this requestId. */
    public static WireProtocolException fatal(int requestId, String message) {
        return new WireProtocolException(message, null, true, true, requestId);
    }

    /** A fatal error in the message with this requestId, caused by {@code cause}. */
    public static WireProtocolException fatal(int requestId, String message, Throwable cause) {
        return new WireProtocolException(message, cause, true, true, requestId);
    }

    /** A recoverable error in the message with this requestId: the stream is still in sync. */
    public static WireProtocolException recoverable(int requestId, String message, Throwable cause) {
        return new WireProtocolException(message, cause, false, true, requestId);
    }

    /** Whether the connection must be closed. */
    public boolean isFatal() {
        return fatal;
    }

    /** The requestId of the offending message, when it was read before the error was found. */
    public OptionalInt requestId() {
        return requestIdKnown ? OptionalInt.of(requestId) : OptionalInt.empty();
    }
}
