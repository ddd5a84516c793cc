package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutates valid frames at random (fixed seed, bounded iterations): every parser must either accept
 * the result or throw {@link WireProtocolException}, never anything else, and release everything.
 */
class WireFuzzTest extends WireTestBase {

    private static final long SEED = 0x5e1ce_2025L;
    private static final int ITERATIONS = 20_000;
    private static final int MAX = 1 << 20;
    private static final int[] INTERESTING_INTS = {0, 1, -1, 4, 5, 16, 25, 26, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
            0xffff, Integer.MAX_VALUE, Integer.MIN_VALUE, MAX, MAX - 16, MAX + 1};
    private static final byte[] INTERESTING_BYTES = {0, 1, 2, 3, 4, 5, 0x7f, (byte) 0x80, (byte) 0xff, 0x10, 0x12};

    private List<byte[]> seeds() {
        BsonDocument body = doc("{insert: 'people', ordered: true, lsid: {id: 1}, $db: 'test',"
                + " nested: {a: [1, 'two', {three: 3.0}], b: null, c: {$binary: {base64: 'AAEC', subType: '00'}}}}");
        List<DocumentSequence> sequences = List.of(
                DocumentSequence.of("documents", List.of(doc("{_id: 1, s: 'x'}"), doc("{_id: 2, t: true}"))),
                DocumentSequence.of("ids", List.of(doc("{}"))));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(drain(OpMsg.encode(alloc, 1, 0, 0, body, sequences)));
        seeds.add(drain(OpMsg.encode(alloc, 2, 0, OpMsg.CHECKSUM_PRESENT | OpMsg.EXHAUST_ALLOWED, body)));
        seeds.add(RawFrame.header(3, 0, OpCode.OP_QUERY.code()).i32(4).cstring("admin.$cmd").i32(0).i32(-1)
                .doc(doc("{$query: {isMaster: 1, client: {driver: {name: 'x'}}}, $readPreference: {mode: 'nearest'}}"))
                .doc(doc("{a: 1}")).build());
        seeds.add(drain(OpReply.encode(alloc, 4, 3, 8, 99L, 0, List.of(body, doc("{ok: 1.0}")))));
        for (Compressor compressor : Compressor.values()) {
            ByteBuf plain = OpMsg.encode(alloc, 5, 0, 0, body, sequences);
            seeds.add(drain(OpCompressed.compress(plain, compressor, alloc)));
            plain.release();
        }
        return seeds;
    }

    @Test
    void mutatedFramesAreAcceptedOrRefusedWithAWireProtocolException() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<byte[]> seeds = seeds();
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                parseAll(frame);
                accepted++;
            } catch (WireProtocolException e) {
                refused++;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + "): " + t + " for frame "
                        + ByteBufUtil.hexDump(frame), t);
            }
        }
        assertThat(accepted).as("some mutations keep the frame valid").isPositive();
        assertThat(refused).as("most mutations break it").isGreaterThan(ITERATIONS / 2);
    }

    @Test
    void theFrameDecoderSurvivesMutatedStreams() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<byte[]> seeds = seeds();
        for (int i = 0; i < 500; i++) {
            byte[] stream = concat(mutate(seeds.get(random.nextInt(seeds.size())), random),
                    seeds.get(random.nextInt(seeds.size())));
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.config().setAllocator(alloc);
            channel.pipeline().addLast(new FrameDecoder(MAX));
            int split = random.nextInt(stream.length + 1);
            try {
                channel.writeInbound(buf(Arrays.copyOfRange(stream, 0, split)));
                channel.writeInbound(buf(Arrays.copyOfRange(stream, split, stream.length)));
            } catch (WireProtocolException expected) {
                // a mutated length; everything after it is discarded
            }
            for (ByteBuf out; (out = channel.readInbound()) != null; ) {
                assertThat(out.readableBytes()).isEqualTo(out.getIntLE(out.readerIndex()));
                out.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    /** Parses {@code frame} as its opcode says, and whatever an OP_COMPRESSED wraps. */
    private void parseAll(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            parse(buf);
        } finally {
            buf.release();
        }
    }

    private void parse(ByteBuf frame) {
        int opCode = frame.readableBytes() >= 16 ? frame.getIntLE(12) : OpCode.OP_MSG.code();
        OpCode op = OpCode.fromCode(opCode);
        if (op == OpCode.OP_COMPRESSED) {
            ByteBuf plain = OpCompressed.decompress(frame, MAX, alloc);
            try {
                parse(plain);
            } finally {
                plain.release();
            }
        } else if (op == OpCode.OP_QUERY) {
            OpQuery query = OpQuery.parse(frame);
            query.commandName();
            query.readPreference();
            query.database();
        } else if (op == OpCode.OP_REPLY) {
            OpReply.parse(frame).documents().forEach(BsonDocument::size);
        } else {
            OpMsg msg = OpMsg.parse(frame);
            msg.commandName();
            msg.database();
            msg.body().toJson();
            msg.sequences().forEach(s -> s.documents().forEach(BsonDocument::toJson));
        }
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] frame = seed.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            frame = mutateOnce(frame, random);
        }
        return frame;
    }

    private static byte[] mutateOnce(byte[] frame, SplittableRandom random) {
        if (frame.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(frame.length);
        switch (random.nextInt(8)) {
            case 0:
                frame[at] ^= (byte) (1 << random.nextInt(8));
                return frame;
            case 1:
                frame[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                return frame;
            case 2:
                frame[at] = (byte) random.nextInt(256);
                return frame;
            case 3: {
                int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                for (int i = 0; i < 4 && at + i < frame.length; i++) {
                    frame[at + i] = (byte) (value >>> (8 * i));
                }
                return frame;
            }
            case 4:
                return fixLength(Arrays.copyOf(frame, at), random);
            case 5: {
                byte[] longer = Arrays.copyOf(frame, frame.length + 1 + random.nextInt(8));
                for (int i = frame.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                return fixLength(longer, random);
            }
            case 6: {
                byte[] shorter = new byte[frame.length - 1];
                System.arraycopy(frame, 0, shorter, 0, at);
                System.arraycopy(frame, at + 1, shorter, at, frame.length - at - 1);
                return fixLength(shorter, random);
            }
            default: {
                byte[] longer = new byte[frame.length + 1];
                System.arraycopy(frame, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(frame, at, longer, at + 1, frame.length - at);
                return fixLength(longer, random);
            }
        }
    }

    /** Most of the time keeps messageLength true to the frame, so the parsers look further in. */
    private static byte[] fixLength(byte[] frame, SplittableRandom random) {
        if (frame.length >= 4 && random.nextInt(4) != 0) {
            int length = frame.length;
            frame[0] = (byte) length;
            frame[1] = (byte) (length >>> 8);
            frame[2] = (byte) (length >>> 16);
            frame[3] = (byte) (length >>> 24);
        }
        return frame;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
