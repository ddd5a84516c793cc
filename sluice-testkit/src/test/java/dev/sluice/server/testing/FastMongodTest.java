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

            // one pooled connection and the driver's monitoring connection (no topologyVersion: polling)
            assertThat(mongod.counters().totalOpened()).isEqualTo(2);
            assertThat(mongod.counters().requests()).isGreaterThanOrEqualTo(4);
        }
    }
}
