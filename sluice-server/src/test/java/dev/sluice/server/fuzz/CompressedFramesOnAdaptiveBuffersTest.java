package dev.sluice.server.fuzz;

import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.OpCompressed;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by {@link ClientSessionFuzzTest}: on Netty 4.2's default allocator (adaptive), decompressing
 * an OP_COMPRESSED message of more than 256 bytes threw IllegalArgumentException ("newCapacity: 324
 * (expected: 0-308)") instead of returning the message, so every large compressed request from a
 * driver closed its connection (see CompressedRequestsIT for the same through a real driver).
 */
class CompressedFramesOnAdaptiveBuffersTest {

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void compressedFramesOfAnySizeDecompressOnTheAdaptiveAllocator(Compressor compressor) {
        ByteBufAllocator adaptive = new AdaptiveByteBufAllocator();
        for (int size : new int[] {10, 200, 241, 300, 1_000, 5_000, 60_000}) {
            BsonDocument body = new BsonDocument("insert", new BsonString("c"))
                    .append("pad", new BsonString("x".repeat(size))).append("$db", new BsonString("test"));
            ByteBuf plain = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 7, 0, 0, body);
            ByteBuf compressed = OpCompressed.compress(plain, compressor, UnpooledByteBufAllocator.DEFAULT);
            ByteBuf back = OpCompressed.decompress(compressed, 48_000_000, adaptive);
            try {
                assertThat(ByteBufUtil.getBytes(back)).as("size %d", size).isEqualTo(ByteBufUtil.getBytes(plain));
            } finally {
                back.release();
                compressed.release();
                plain.release();
            }
        }
    }
}
