package dev.sluice.server.admin;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listConnections row written straight to BSON is the row {@link BsonViews#connection} builds, byte for byte. */
class BsonViewsTest {

    @Test
    void aRawRowIsTheDocumentRowByteForByte() {
        ConnectionView full = new ConnectionView("mongodb-7", "2026-12-01T19:00:00.123Z", "mongodb", "app@shop",
                "Java driver 5.2.1 | Linux", "127.0.0.1:27016", "10.0.0.9:51234", "Running", "billing €",
                "mongo-java-driver|sync 5.2.1", 42, 1234, 5678, "find", 17, "db1:27017", null);
        ConnectionView empty = new ConnectionView("mongodb-8", "2026-12-01T19:00:00.000Z", "mongodb", null, null,
                null, null, "Idle", null, null, 0, 0, 0, null, 0, null, null);
        ConnectionView fleet = new ConnectionView("mongodb-9", "2026-12-01T19:00:00.000Z", "mongodb-lb", "root",
                null, "127.0.0.1:27018", "10.0.0.1:1", "Idle", "x", "y", 1, 2, 3, null, 0, null, "sluice-b:27016");
        for (ConnectionView view : new ConnectionView[] {full, empty, fleet}) {
            RawBsonDocument raw = BsonViews.connectionRaw(view);
            BsonDocument built = BsonViews.connection(view);
            assertThat(raw).isEqualTo(built);
            assertThat(bytes(raw)).isEqualTo(bytes(new RawBsonDocument(built, new BsonDocumentCodec())));
            assertThat((long) bytes(raw).length).isLessThanOrEqualTo(BsonViews.maxEncodedSize(view));
        }
    }

    private static byte[] bytes(RawBsonDocument raw) {
        byte[] b = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(b);
        return b;
    }
}
