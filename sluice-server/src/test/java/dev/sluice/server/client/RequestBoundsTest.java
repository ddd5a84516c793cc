package dev.sluice.server.client;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBoundsTest {

    @Test
    void aWriteBatchOfMaxWriteBatchSizePassesAndOneMoreIsMongodsInvalidLength() {
        assertThat(RequestBounds.oversized(parse(small(), sequence(100_000)))).isNull();
        BsonDocument refusal = RequestBounds.oversized(parse(small(), sequence(100_001)));
        assertThat(refusal.getInt32("code").getValue()).isEqualTo(16);
        assertThat(refusal.getString("errmsg").getValue())
                .startsWith("Write batch sizes must be between 1 and 100000. Got 100001 operations.");
    }

    @Test
    void aCommandDocumentOf16MiBAnd16KiBPassesAndOneByteMoreIsBsonObjectTooLarge() {
        int limit = 16 * 1024 * 1024 + 16 * 1024;
        assertThat(RequestBounds.oversized(parse(padded(limit), List.of()))).isNull();
        BsonDocument body = RequestBounds.oversized(parse(padded(limit + 1), List.of()));
        assertThat(body.getInt32("code").getValue()).isEqualTo(10334);
        assertThat(body.getString("errmsg").getValue()).startsWith("BSONObj size: " + (limit + 1) + " is invalid.");
        BsonDocument inSequence = RequestBounds.oversized(parse(small(),
                List.of(DocumentSequence.of("documents", List.of(padded(limit + 1))))));
        assertThat(inSequence.getInt32("code").getValue()).isEqualTo(10334);
        assertThat(inSequence.getString("errmsg").getValue()).contains("sequence 'documents'");
    }

    @Test
    void handshakesAndRequestsBeforeLoginStopAt64KiB() {
        RawBsonDocument atLimit = padded(64 * 1024);
        RawBsonDocument over = padded(64 * 1024 + 1);
        assertThat(RequestBounds.beforeAuthentication("hello", atLimit, true, true)).isNull();
        assertThat(RequestBounds.beforeAuthentication("hello", over, true, false).getInt32("code").getValue())
                .isEqualTo(2);
        assertThat(RequestBounds.beforeAuthentication("find", over, false, true).getInt32("code").getValue())
                .isEqualTo(13);
        assertThat(RequestBounds.beforeAuthentication("find", over, false, false)).as("logged in, or no --auth")
                .isNull();
    }

    private static RawBsonDocument small() {
        return raw(BsonDocument.parse("{insert: 'c', $db: 'd'}"));
    }

    /** {insert: 'c', $db: 'd', pad: 'xxx...'} of exactly {@code size} bytes. */
    private static RawBsonDocument padded(int size) {
        BsonDocument doc = BsonDocument.parse("{insert: 'c', $db: 'd', pad: ''}");
        int fixed = raw(doc).getByteBuffer().remaining();
        doc.put("pad", new BsonString("x".repeat(size - fixed)));
        RawBsonDocument raw = raw(doc);
        assertThat(raw.getByteBuffer().remaining()).isEqualTo(size);
        return raw;
    }

    private static List<DocumentSequence> sequence(int count) {
        return List.of(DocumentSequence.of("updates", Collections.nCopies(count, new BsonDocument())));
    }

    private static RawBsonDocument raw(BsonDocument doc) {
        return new RawBsonDocument(doc, new BsonDocumentCodec());
    }

    private static OpMsg parse(BsonDocument body, List<DocumentSequence> sequences) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 0, 0, body, sequences);
        try {
            return OpMsg.parse(frame);
        } finally {
            frame.release();
        }
    }
}
