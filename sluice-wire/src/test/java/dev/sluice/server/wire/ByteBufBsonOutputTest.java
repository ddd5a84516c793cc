package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Documents written through the staged output are byte for byte what org.bson's own encoder writes. */
class ByteBufBsonOutputTest {

    @Test
    void writesWhatOrgBsonWrites() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            BsonDocument doc = document(random, 0);
            byte[] expected = bytes(new RawBsonDocument(doc, new BsonDocumentCodec()));
            ByteBuf out = Unpooled.buffer();
            out.writeBytes(new byte[] {1, 2, 3}); // something before: positions are relative to the start
            WireBson.writeDocument(out, doc);
            byte[] actual = new byte[out.readableBytes() - 3];
            out.getBytes(3, actual);
            assertThat(actual).as("round %d: %s", round, doc.toJson()).isEqualTo(expected);
            out.release();
        }
    }

    @Test
    void aDocumentLargerThanTheStageIsWhole() {
        BsonDocument doc = new BsonDocument();
        for (int i = 0; i < 5_000; i++) {
            doc.append("row" + i, new BsonDocument("id", new BsonString("mongodb-" + i)).append("n", new BsonInt64(i)));
        }
        ByteBuf out = Unpooled.buffer();
        WireBson.writeDocument(out, doc);
        byte[] actual = new byte[out.readableBytes()];
        out.getBytes(0, actual);
        assertThat(actual.length).isGreaterThan(ByteBufBsonOutput.STAGE_BYTES * 10);
        assertThat(actual).isEqualTo(bytes(new RawBsonDocument(doc, new BsonDocumentCodec())));
        out.release();
    }

    @Test
    void aNameWithANullByteIsRefusedAsOrgBsonRefusesIt() {
        BsonDocument doc = new BsonDocument("bad\u0000name", new BsonInt32(1));
        ByteBuf out = Unpooled.buffer();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WireBson.writeDocument(out, doc))
                .isInstanceOf(org.bson.BsonSerializationException.class);
        out.release();
    }

    private static byte[] bytes(RawBsonDocument raw) {
        byte[] b = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(b);
        return b;
    }

    private static BsonDocument document(Random random, int depth) {
        BsonDocument doc = new BsonDocument();
        int fields = random.nextInt(12);
        for (int i = 0; i < fields; i++) {
            String name = "f" + i + "x".repeat(random.nextInt(depth == 0 ? 1_500 : 20)) + (random.nextInt(5) == 0 ? "ü" : "");
            switch (random.nextInt(depth < 3 ? 11 : 9)) {
                case 0 -> doc.append(name, new BsonInt32(random.nextInt()));
                case 1 -> doc.append(name, new BsonInt64(random.nextLong()));
                case 2 -> doc.append(name, new BsonDouble(random.nextDouble()));
                case 3 -> doc.append(name, new BsonString((random.nextBoolean() ? "é€" : "") + "s".repeat(random.nextInt(2_000))
                        + (random.nextInt(4) == 0 ? "\u0000inside" : "")));
                case 4 -> doc.append(name, BsonBoolean.valueOf(random.nextBoolean()));
                case 5 -> doc.append(name, BsonNull.VALUE);
                case 6 -> {
                    byte[] data = new byte[random.nextInt(3_000)];
                    random.nextBytes(data);
                    doc.append(name, new BsonBinary(data));
                }
                case 7 -> doc.append(name, new BsonDateTime(random.nextLong()));
                case 8 -> doc.append(name, new BsonObjectId());
                case 9 -> doc.append(name, document(random, depth + 1));
                default -> doc.append(name, new BsonArray(java.util.List.of(document(random, depth + 1),
                        new BsonInt32(1), new BsonString("a"))));
            }
        }
        return doc;
    }
}
