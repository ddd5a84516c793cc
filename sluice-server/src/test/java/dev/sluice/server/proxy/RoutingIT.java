package dev.sluice.server.proxy;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With several upstream hosts (a list of mongos), cursors and transactions stay on their host. */
class RoutingIT {

    private static long count(FakeMongod backend, String command) {
        return backend.commands().stream().filter(command::equals).count();
    }

    @Test
    void getMoreGoesToTheHostThatOwnsTheCursor() throws Exception {
        try (FakeMongod a = FakeMongod.start(); FakeMongod b = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port() + "/");
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
            for (int i = 0; i < 10; i++) {
                try (MongoCursor<Document> cursor = c.find().batchSize(1).iterator()) {
                    while (cursor.hasNext()) {
                        cursor.next();
                    }
                }
            }
            assertThat(count(a, "find") + count(b, "find")).isEqualTo(10);
            assertThat(count(a, "find")).as("round-robin used both hosts").isPositive();
            assertThat(count(b, "find")).isPositive();
            assertThat(count(a, "getMore")).isEqualTo(count(a, "find"));
            assertThat(count(b, "getMore")).isEqualTo(count(b, "find"));
        }
    }

    @Test
    void transactionStatementsStayOnTheTransactionsHost() throws Exception {
        try (FakeMongod a = FakeMongod.start(); FakeMongod b = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port() + "/");
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("t");
            for (int i = 0; i < 6; i++) {
                try (ClientSession session = client.startSession()) {
                    session.startTransaction();
                    c.insertOne(session, new Document("i", i));
                    c.insertOne(session, new Document("j", i));
                    session.commitTransaction();
                }
            }
            assertThat(count(a, "commitTransaction") + count(b, "commitTransaction")).isEqualTo(6);
            assertThat(count(a, "insert")).isEqualTo(2 * count(a, "commitTransaction"));
            assertThat(count(b, "insert")).isEqualTo(2 * count(b, "commitTransaction"));
            assertThat(sluice.server().router().transactions().size()).isZero();
        }
    }
}
