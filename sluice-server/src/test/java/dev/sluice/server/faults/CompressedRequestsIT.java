package dev.sluice.server.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Compressed requests and replies larger than 256 bytes, with each compressor, through Sluice. */
class CompressedRequestsIT {

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "snappy", "zlib"})
    void largeCompressedMessagesRoundTrip(String compressor) throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri("compressors=" + compressor))) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("big");
            for (int size : new int[] {100, 300, 1_000, 5_000, 50_000}) {
                c.insertOne(new Document("_id", size).append("pad", "x".repeat(size)));
                assertThat(c.find(new Document("_id", size)).first().getString("pad")).hasSize(size);
            }
        }
    }
}
