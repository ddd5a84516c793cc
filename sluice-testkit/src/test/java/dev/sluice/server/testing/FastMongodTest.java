package dev.sluice.server.testing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** FakeMongod's fast mode, driven by the real driver as the proxy benchmarks drive it. */
class FastMongodTest {

    @Test
    void answersTheDriversHandshakeFindAndInsertAndCountsItsConnections() throws Exception {
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, 2);
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + mongod.port()
                     + "/?maxPoolSize=1&serverSelectionTimeoutMS=5000")) {
            MongoCollection<Document> items = client.getDatabase("bench").getCollection("items");

            Document first = items.find().first();
            assertThat(first).isNotNull();
            assertThat(first.getString("name")).isEqualTo("tea");
            items.insertMany(List.of(new Document("a", 1), new Document("a", 2)));
            // n counts the documents: a document sequence (the driver's bulk write) and a body array
            assertThat(items.bulkWrite(List.of(new com.mongodb.client.model.InsertOneModel<>(new Document("a", 3)),
                    new com.mongodb.client.model.InsertOneModel<>(new Document("a", 4)))).getInsertedCount()).isEqualTo(2);
            Document reply = client.getDatabase("bench").runCommand(new Document("insert", "items").append("documents",
                    List.of(new Document("a", 5), new Document("b", new Document("c", List.of(1, 2))), new Document())));
            assertThat(reply.get("n", Number.class).intValue()).isEqualTo(3);

            // one pooled connection and the driver's monitoring connection (no topologyVersion: polling)
            assertThat(mongod.counters().totalOpened()).isEqualTo(2);
            assertThat(mongod.counters().requests()).isGreaterThanOrEqualTo(4);
        }
    }
}
