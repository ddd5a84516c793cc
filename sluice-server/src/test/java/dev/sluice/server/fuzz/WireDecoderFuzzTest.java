package dev.sluice.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.server.wire.FrameDecoder;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpCompressed;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import dev.sluice.server.wire.OpReply;
import dev.sluice.server.wire.WireProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the wire decoder as a client connection drives it: arbitrary bytes
 * through {@link FrameDecoder} in an {@link EmbeddedChannel}, then every frame it emits through the
 * parser its opcode selects (OP_COMPRESSED decompressed first, and its payload parsed in turn).
 *
 * <p>Invariants: the only exception is {@link WireProtocolException}; nothing allocates more than
 * the 64 KiB frame limit (plus the input's own size, which the decoder's cumulation may hold);
 * every emitted frame has the length its header announces; the same stream fed whole or in small
 * chunks yields the same frames; OP_COMPRESSED decompresses to the same bytes on Netty's default
 * allocator as on the capped one; every buffer is released.
 *
 * <p>Plain test runs replay the corpus under {@code WireDecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (RELIABILITY.md).
 */
class WireDecoderFuzzTest {
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;

    @BeforeAll
    static void settings() {
        FuzzDefaults.regressionRunsWithoutHooks();
    }

    private final CappedAllocator alloc = new CappedAllocator(MAX_MESSAGE_SIZE);

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "5m")
    void decodeAndParse(byte[] input) {
        if (input.length > MAX_MESSAGE_SIZE) {
            return; // keeps the cap meaningful: the decoder's cumulation may hold the whole input
        }
        alloc.reset();
        List<byte[]> whole = decode(input, input.length);
        int chunk = 1 + (input.length == 0 ? 0 : (input[input.length - 1] & 0x0f));
        List<byte[]> chunked = decode(input, chunk);
        if (whole.size() != chunked.size()) {
            throw new AssertionError("fed whole: " + whole.size() + " frames; in chunks of " + chunk + ": "
                    + chunked.size());
        }
        for (int i = 0; i < whole.size(); i++) {
            if (!java.util.Arrays.equals(whole.get(i), chunked.get(i))) {
                throw new AssertionError("frame " + i + " differs when fed in chunks of " + chunk);
            }
        }
        for (byte[] frame : whole) {
            ByteBuf buf = alloc.heapBuffer(frame.length).writeBytes(frame);
            try {
                parse(buf, 0);
            } catch (WireProtocolException expected) {
                // refused: what a client connection answers with FailedToParse
            } finally {
                buf.release();
            }
        }
        if (alloc.live() != 0) {
            throw new AssertionError(alloc.live() + " buffers not released");
        }
    }

    /** Runs the stream through a FrameDecoder in pieces of {@code chunk} bytes; returns the frames. */
    private List<byte[]> decode(byte[] input, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new FrameDecoder(MAX_MESSAGE_SIZE));
        List<byte[]> frames = new ArrayList<>();
        try {
            for (int at = 0; at < input.length; at += Math.max(1, chunk)) {
                int n = Math.min(Math.max(1, chunk), input.length - at);
                ByteBuf piece = Unpooled.copiedBuffer(input, at, n);
                try {
                    channel.writeInbound(piece);
                } catch (WireProtocolException expected) {
                    // a bad length: everything after it is discarded, as the connection is closed
                }
                drain(channel, frames);
            }
        } finally {
            drain(channel, frames);
            channel.finishAndReleaseAll();
        }
        return frames;
    }

    private static void drain(EmbeddedChannel channel, List<byte[]> frames) {
        for (ByteBuf out; (out = channel.readInbound()) != null; ) {
            try {
                int announced = out.getIntLE(out.readerIndex());
                if (announced != out.readableBytes() || announced > MAX_MESSAGE_SIZE || announced < 16) {
                    throw new AssertionError("frame of " + out.readableBytes() + " bytes announces " + announced);
                }
                frames.add(ByteBufUtil.getBytes(out));
            } finally {
                out.release();
            }
        }
    }

    /** Parses a frame as its opcode says; OP_COMPRESSED is decompressed (bounded) and parsed again. */
    private void parse(ByteBuf frame, int depth) {
        int opCode = frame.getIntLE(frame.readerIndex() + 12);
        if (opCode == OpCode.OP_COMPRESSED.code()) {
            ByteBuf plain = OpCompressed.decompress(frame, MAX_MESSAGE_SIZE, alloc);
            try {
                if (plain.maxCapacity() > MAX_MESSAGE_SIZE || plain.capacity() > MAX_MESSAGE_SIZE) {
                    throw new AssertionError("decompressed buffer capacity " + plain.capacity() + "/"
                            + plain.maxCapacity() + " above the limit " + MAX_MESSAGE_SIZE);
                }
                if (plain.readableBytes() != plain.getIntLE(plain.readerIndex())) {
                    throw new AssertionError("decompressed frame of " + plain.readableBytes() + " bytes announces "
                            + plain.getIntLE(plain.readerIndex()));
                }
                if (depth > 0) {
                    throw new AssertionError("OP_COMPRESSED inside OP_COMPRESSED was accepted");
                }
                // the same on the production allocator (Netty's default), which grows buffers its own way
                ByteBuf again = OpCompressed.decompress(frame, MAX_MESSAGE_SIZE, ByteBufAllocator.DEFAULT);
                try {
                    if (!ByteBufUtil.equals(plain, again)) {
                        throw new AssertionError("decompressed differently on the default allocator");
                    }
                } finally {
                    again.release();
                }
                parse(plain, depth + 1);
            } finally {
                plain.release();
            }
        } else if (opCode == OpCode.OP_MSG.code()) {
            OpMsg msg = OpMsg.parse(frame);
            msg.commandName();
            msg.database();
            msg.isExhaustAllowed();
            msg.body().toJson();
            msg.sequences().forEach(s -> s.documents().forEach(BsonDocument::toJson));
        } else if (opCode == OpCode.OP_QUERY.code()) {
            OpQuery query = OpQuery.parse(frame);
            query.isCommand();
            query.commandName();
            query.readPreference();
            query.database();
            query.fullCollectionName();
            query.commandDocument().toJson();
        } else if (opCode == OpCode.OP_REPLY.code()) {
            OpReply.parse(frame).documents().forEach(BsonDocument::toJson);
        }
    }

}
