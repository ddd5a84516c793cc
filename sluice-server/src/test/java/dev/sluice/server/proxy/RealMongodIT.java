package dev.sluice.server.proxy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through Sluice to a real mongod, named by the environment variable SLUICE_TEST_MONGODB_URI
 * (e.g. mongodb://127.0.0.1:27017/). Skipped, saying so, when it is not set.
 */
@EnabledIfEnvironmentVariable(named = "SLUICE_TEST_MONGODB_URI", matches = ".+",
        disabledReason = "SLUICE_TEST_MONGODB_URI is not set: skipping the tests against a real mongod")
class RealMongodIT {
    private static final String URI = System.getenv("SLUICE_TEST_MONGODB_URI");
    private static SluiceHarness sluice;
    private static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceHarness.upstream(URI);
        client = MongoClients.create(sluice.uri("appName=realMongodIT"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void crudAndCursorsWorkAgainstARealMongod() {
        MongoCollection<Document> c = client.getDatabase("sluice_it").getCollection("real");
        c.drop();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(new Document("_id", i));
        }
        c.insertMany(docs);
        List<Document> seen = new ArrayList<>();
        try (MongoCursor<Document> cursor = c.find().batchSize(4).iterator()) {
            cursor.forEachRemaining(seen::add);
        }
        assertThat(seen).hasSize(30);
        assertThat(c.deleteMany(new Document()).getDeletedCount()).isEqualTo(30);
        await().until(() -> sluice.server().router().cursors().size() == 0);
    }
}
