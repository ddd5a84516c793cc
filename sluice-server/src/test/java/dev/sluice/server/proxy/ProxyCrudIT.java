package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.DeleteOneModel;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The real Java driver through Sluice to the embedded backend: CRUD, bulk, cursors, aggregation. */
class ProxyCrudIT {
    private static SluiceHarness sluice;
    private static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceHarness.embedded();
        client = MongoClients.create(sluice.uri("appName=crudTest"));
    }

    @AfterAll
    static void stop() {
        client.close();
        sluice.close();
    }

    private static MongoCollection<Document> collection(String name) {
        MongoCollection<Document> c = client.getDatabase("test").getCollection(name);
        c.drop();
        return c;
    }

    @Test
    void insertsFindsUpdatesAndDeletes() {
        MongoCollection<Document> c = collection("crud");
        c.insertOne(new Document("_id", 1).append("name", "ada"));
        c.insertMany(List.of(new Document("_id", 2).append("name", "bob"), new Document("_id", 3).append("name", "cy")));
        assertThat(c.countDocuments()).isEqualTo(3);
        assertThat(c.find(Filters.eq("_id", 2)).first()).containsEntry("name", "bob");
        assertThat(c.updateOne(Filters.eq("_id", 1), Updates.set("name", "ada l.")).getModifiedCount()).isEqualTo(1);
        assertThat(c.find(Filters.eq("_id", 1)).first()).containsEntry("name", "ada l.");
        assertThat(c.deleteOne(Filters.eq("_id", 3)).getDeletedCount()).isEqualTo(1);
        assertThat(c.countDocuments()).isEqualTo(2);
    }

    @Test
    void bulkWritesApplyEveryModel() {
        MongoCollection<Document> c = collection("bulk");
        var result = c.bulkWrite(List.of(
                new InsertOneModel<>(new Document("_id", 1).append("v", 1)),
                new InsertOneModel<>(new Document("_id", 2).append("v", 2)),
                new UpdateOneModel<>(Filters.eq("_id", 1), Updates.inc("v", 10)),
                new DeleteOneModel<>(Filters.eq("_id", 2))));
        assertThat(result.getInsertedCount()).isEqualTo(2);
        assertThat(result.getModifiedCount()).isEqualTo(1);
        assertThat(result.getDeletedCount()).isEqualTo(1);
        assertThat(c.find().first()).containsEntry("v", 11);
    }

    @Test
    void findWithSmallBatchSizeUsesSeveralGetMores() {
        MongoCollection<Document> c = collection("batches");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            docs.add(new Document("_id", i));
        }
        c.insertMany(docs);
        List<Integer> seen = new ArrayList<>();
        try (MongoCursor<Document> cursor = c.find().sort(Sorts.ascending("_id")).batchSize(4).iterator()) {
            while (cursor.hasNext()) {
                seen.add(cursor.next().getInteger("_id"));
            }
        }
        assertThat(seen).hasSize(25).isSorted();
        await().until(() -> sluice.server().router().cursors().size() == 0);
    }

    @Test
    void aggregationRunsThroughSluice() {
        MongoCollection<Document> c = collection("agg");
        for (int i = 0; i < 10; i++) {
            c.insertOne(new Document("g", i % 2).append("v", i));
        }
        List<Document> out = c.aggregate(List.of(
                Aggregates.group("$g", Accumulators.sum("total", "$v")),
                Aggregates.sort(Sorts.ascending("_id")))).into(new ArrayList<>());
        assertThat(out).extracting(d -> d.get("total")).containsExactly(20, 25);
    }

    @Test
    void cursorsAreKilledUpstreamWhenTheirClientCloses() {
        MongoCollection<Document> c = collection("abandoned");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(new Document("_id", i));
        }
        c.insertMany(docs);
        long cursorId;
        try (MongoClient other = MongoClients.create(sluice.uri())) {
            MongoCursor<Document> cursor = other.getDatabase("test").getCollection("abandoned").find().batchSize(2).iterator();
            cursor.next();
            assertThat(sluice.server().router().cursors().size()).isEqualTo(1);
            cursorId = cursor.getServerCursor().getId();
            assertThat(cursorId).isNotZero();
            // the client goes away without closing its cursor
        }
        await().until(() -> sluice.server().router().cursors().size() == 0);
        try (MongoClient direct = MongoClients.create(sluice.server().embeddedUri())) {
            await().untilAsserted(() -> assertThatThrownBy(() -> direct.getDatabase("test").runCommand(
                    new Document("getMore", cursorId).append("collection", "abandoned")))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(43)));
        }
    }
}
