package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test gets its own unpooled allocator whose metric counts live buffers: after each test
 * all of them must have been released, codec-internal ones on error paths included.
 */
abstract class WireTestBase {

    protected UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, false, false);

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void everyBufferReleased() {
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes still held").isZero();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still held").isZero();
    }

    /** A heap buffer from the test allocator holding {@code bytes}. */
    protected ByteBuf buf(byte[] bytes) {
        return alloc.heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** The readable bytes of {@code buf}, which is then released. */
    protected static byte[] drain(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    protected static byte[] bsonBytes(BsonDocument document) {
        RawBsonDocument raw = new RawBsonDocument(document, new BsonDocumentCodec());
        java.nio.ByteBuffer nio = raw.getByteBuffer().asNIO();
        byte[] bytes = new byte[nio.remaining()];
        nio.get(bytes);
        return bytes;
    }

    /** The documents typed as plain BsonDocuments, so assertions can compare them to parsed JSON. */
    protected static java.util.List<BsonDocument> docs(java.util.List<? extends BsonDocument> documents) {
        return new java.util.ArrayList<>(documents);
    }

    protected static BsonDocument doc(String json) {
        return BsonDocument.parse(json);
    }
}
