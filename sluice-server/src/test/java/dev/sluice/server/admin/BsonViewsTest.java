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
            RawBsonDocument raw = new BsonViews.ConnectionRows().add(view);
            BsonDocument built = BsonViews.connection(view);
            assertThat(raw).isEqualTo(built);
            assertThat(bytes(raw)).isEqualTo(bytes(new RawBsonDocument(built, new BsonDocumentCodec())));
            assertThat((long) bytes(raw).length).isLessThanOrEqualTo(BsonViews.maxEncodedSize(view));
        }
    }

    @Test
    void rowsSharingOneBufferAreEachTheirOwnDocumentAlsoAcrossTheBuffersGrowth() {
        BsonViews.ConnectionRows rows = new BsonViews.ConnectionRows();
        java.util.List<RawBsonDocument> written = new java.util.ArrayList<>();
        java.util.List<ConnectionView> views = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) { // about 100 KB: the 16 KB buffer grows several times
            ConnectionView view = new ConnectionView("mongodb-" + i, "2026-12-01T19:00:00.123Z", "mongodb",
                    i % 3 == 0 ? null : "user" + i, "agent " + "x".repeat(i % 50), "127.0.0.1:27016",
                    "10.0.0.9:" + (1000 + i), i % 2 == 0 ? "Idle" : "Running", "app€" + i, null, i, 2L * i,
                    3L * i, i % 2 == 0 ? null : "find", i, null, null);
            views.add(view);
            written.add(rows.add(view));
        }
        for (int i = 0; i < views.size(); i++) { // read after all were written: none was overwritten
            BsonDocument built = BsonViews.connection(views.get(i));
            assertThat(written.get(i)).as("row %d", i).isEqualTo(built);
            assertThat(bytes(written.get(i))).isEqualTo(bytes(new RawBsonDocument(built, new BsonDocumentCodec())));
        }
    }

    private static byte[] bytes(RawBsonDocument raw) {
        byte[] b = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(b);
        return b;
    }
}
