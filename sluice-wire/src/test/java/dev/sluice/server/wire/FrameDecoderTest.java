package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameDecoderTest extends WireTestBase {

    private static final int MAX = 1 << 20;

    private EmbeddedChannel channel(int maxMessageSizeBytes) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new FrameDecoder(maxMessageSizeBytes));
        return channel;
    }

    private List<byte[]> sampleFrames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(drain(OpMsg.encode(alloc, 1, 0, 0, doc("{hello: 1, $db: 'admin'}"))));
        frames.add(drain(OpMsg.encode(alloc, 2, 0, OpMsg.CHECKSUM_PRESENT, doc("{insert: 'c', $db: 'test'}"),
                List.of(DocumentSequence.of("documents", List.of(doc("{_id: 1}"), doc("{_id: 2}")))))));
        frames.add(RawFrame.header(3, 0, OpCode.OP_QUERY.code()).i32(0).cstring("admin.$cmd").i32(0).i32(-1)
                .doc(doc("{isMaster: 1}")).build());
        frames.add(drain(OpReply.encode(alloc, 4, 3, 0, 0L, 0, List.of(doc("{ismaster: true, ok: 1.0}")))));
        frames.add(RawFrame.header(5, 0, 9999).bytes("opaque".getBytes(StandardCharsets.US_ASCII)).build());
        frames.add(RawFrame.header(6, 0, OpCode.OP_MSG.code()).build()); // a bare 16-byte header
        return frames;
    }

    /** Writes {@code chunks} one by one and returns the bytes of every frame that came out. */
    private List<byte[]> decode(int max, byte[]... chunks) {
        EmbeddedChannel channel = channel(max);
        for (byte[] chunk : chunks) {
            channel.writeInbound(buf(chunk));
        }
        List<byte[]> frames = new ArrayList<>();
        for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
            frames.add(drain(frame));
        }
        assertThat(channel.finish()).isFalse();
        return frames;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void emitsTheSameFrameWhateverByteItIsSplitAt() {
        for (byte[] frame : sampleFrames()) {
            for (int split = 0; split <= frame.length; split++) {
                List<byte[]> out = decode(MAX, Arrays.copyOfRange(frame, 0, split),
                        Arrays.copyOfRange(frame, split, frame.length));
                assertThat(out).as("split at %d of %d", split, frame.length).containsExactly(frame);
            }
        }
    }

    @Test
    void emitsEveryFrameOfAStreamWhateverByteItIsSplitAt() {
        List<byte[]> frames = sampleFrames();
        byte[] stream = concat(frames);
        for (int split = 0; split <= stream.length; split++) {
            List<byte[]> out = decode(MAX, Arrays.copyOfRange(stream, 0, split),
                    Arrays.copyOfRange(stream, split, stream.length));
            assertThat(out).as("split at %d", split).containsExactlyElementsOf(frames);
        }
    }

    @Test
    void emitsEveryFrameWhenFedOneByteAtATime() {
        List<byte[]> frames = sampleFrames();
        byte[] stream = concat(frames);
        byte[][] chunks = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) {
            chunks[i] = new byte[] {stream[i]};
        }
        assertThat(decode(MAX, chunks)).containsExactlyElementsOf(frames);
    }

    @Test
    void emitsSeveralFramesReceivedInOneBuffer() {
        List<byte[]> frames = sampleFrames();
        assertThat(decode(MAX, concat(frames))).containsExactlyElementsOf(frames);
    }

    @Test
    void waitsForTheRestOfAFrame() {
        byte[] frame = sampleFrames().get(0);
        EmbeddedChannel channel = channel(MAX);
        channel.writeInbound(buf(Arrays.copyOf(frame, frame.length - 1)));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(buf(new byte[] {frame[frame.length - 1]}));
        assertThat(drain(channel.readInbound())).isEqualTo(frame);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void emitsFramesWithUnknownOpcodesForTheCallerToJudge() {
        byte[] frame = RawFrame.header(9, 0, 4242).i32(7).build();
        List<byte[]> out = decode(MAX, frame);
        assertThat(out).containsExactly(frame);
        assertThat(OpCode.fromCode(4242)).isNull();
    }

    @Test
    void refusesAMessageLengthBelowTheHeaderSize() {
        EmbeddedChannel channel = channel(MAX);
        assertThatThrownBy(() -> channel.writeInbound(buf(RawFrame.header(7, 0, 2013).withLength(12))))
                .isInstanceOfSatisfying(WireProtocolException.class, e -> {
                    assertThat(e).hasMessage("messageLength: 12 (expected: >= 16)");
                    assertThat(e.isFatal()).isTrue();
                    assertThat(e.requestId()).hasValue(7);
                });
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesAnOversizedMessageAfterOnlyItsFourLengthBytes() {
        EmbeddedChannel channel = channel(FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES);
        byte[] length = new RawFrame().i32(50_000_000).raw();
        assertThatThrownBy(() -> channel.writeInbound(buf(length)))
                .isInstanceOfSatisfying(WireProtocolException.class, e -> {
                    assertThat(e).hasMessage("messageLength: 50000000 (expected: <= 48000000, maxMessageSizeBytes)");
                    assertThat(e.isFatal()).isTrue();
                    assertThat(e.requestId()).isEmpty();
                });
        assertThat(alloc.metric().usedHeapMemory()).as("nothing buffered for the body").isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesANegativeMessageLength() {
        EmbeddedChannel channel = channel(MAX);
        assertThatThrownBy(() -> channel.writeInbound(buf(new RawFrame().i32(-1).raw())))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("messageLength: -1 (expected: >= 16)");
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesGarbageSuchAsAnHttpRequest() {
        EmbeddedChannel channel = channel(FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES);
        byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> channel.writeInbound(buf(http)))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("messageLength: 542393671 (expected: <= 48000000, maxMessageSizeBytes)");
        channel.finishAndReleaseAll();
    }

    @Test
    void discardsAllInputAfterAnError() {
        EmbeddedChannel channel = channel(MAX);
        byte[] bad = RawFrame.header(1, 0, 2013).withLength(3);
        byte[] good = sampleFrames().get(0);
        assertThatThrownBy(() -> channel.writeInbound(buf(concat(List.of(bad, good)))))
                .isInstanceOf(WireProtocolException.class);
        channel.writeInbound(buf(good));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void passesOnTheFramesBeforeABadOne() {
        EmbeddedChannel channel = channel(MAX);
        byte[] good = sampleFrames().get(0);
        byte[] bad = new RawFrame().i32(MAX + 1).raw();
        assertThatThrownBy(() -> channel.writeInbound(buf(concat(List.of(good, bad)))))
                .isInstanceOf(WireProtocolException.class);
        assertThat(drain(channel.readInbound())).isEqualTo(good);
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesAMaximumBelowTheHeaderSize() {
        assertThatThrownBy(() -> new FrameDecoder(15)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageSizeBytes: 15 (expected: >= 16)");
    }
}
