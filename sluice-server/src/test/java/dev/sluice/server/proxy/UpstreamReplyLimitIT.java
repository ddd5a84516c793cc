package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoInternalException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.micrometer.core.instrument.Counter;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding 7: one oversized upstream reply cleared the host's pool. The upstream decoder's limit is
 * maxUpstreamReplyBytes (64 MiB), not the client-side maxMessageSizeBytes (48 MB): a bigger batch
 * than 48 MB reaches the client as it would directly; a reply over the limit is refused on its
 * declared length with 10334 naming the setting, closing that one connection and not the pool.
 */
class UpstreamReplyLimitIT {
    private static final String BIG = "x".repeat(900_000);

    @Test
    void aFirstBatchOver48MBReachesTheClientAsOnADirectConnection() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient direct = MongoClients.create(sluice.server().embeddedUri());
             MongoClient proxied = MongoClients.create(sluice.uri("retryReads=false"));
             MongoClient bystander = MongoClients.create(sluice.uri("appName=bystander"))) {
            insertBigDocuments(direct.getDatabase("test").getCollection("big"), 60);
            HostPoolStats before = sluice.server().cluster().statistics().get(0);
            Document find = new Document("find", "big").append("batchSize", 1000);

            // the Java driver itself refuses a reply over the maxMessageSizeBytes its server announced
            // (48 MB, directly and through Sluice alike): the same reply length reaches it both ways
            Throwable directOutcome = outcome(() -> direct.getDatabase("test").runCommand(find));
            Throwable proxiedOutcome = outcome(() -> proxied.getDatabase("test").runCommand(find));
            assertThat(directOutcome).isInstanceOf(MongoInternalException.class);
            assertThat(proxiedOutcome).isInstanceOf(directOutcome.getClass())
                    .hasMessage(directOutcome.getMessage());

            // byte for byte: a raw client (as Node.js and mongosh, which accept up to 64 MiB) gets the whole batch
            BsonDocument rawFind = BsonDocument.parse("{find: 'big', batchSize: 1000, $db: 'test'}");
            URI backend = URI.create(sluice.server().embeddedUri());
            InetSocketAddress a = sluice.server().mongoAddress();
            byte[] directReply = call(backend.getHost(), backend.getPort(), rawFind);
            byte[] proxiedReply = call(a.getHostString(), a.getPort(), rawFind);
            assertThat(directReply.length).as("the backend's reply size").isGreaterThan(48_000_000);
            assertThat(proxiedReply.length).isEqualTo(directReply.length);
            BsonDocument proxiedBody = body(proxiedReply);
            assertThat(proxiedBody.getDocument("cursor").getArray("firstBatch")).hasSize(60);
            assertThat(proxiedBody).isEqualTo(body(directReply));

            HostPoolStats after = sluice.server().cluster().statistics().get(0);
            assertThat(after.clears()).as("pool clears").isEqualTo(before.clears());
            assertThat(after.generation()).as("pool generation").isEqualTo(before.generation());
            assertThat(errorCloses(sluice)).as("backend connections closed with an error").isZero();
            assertThat(bystander.getDatabase("test").getCollection("big").countDocuments()).isEqualTo(60);
        }
    }

    private static Throwable outcome(Runnable operation) {
        try {
            operation.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static byte[] call(String host, int port, BsonDocument command) throws Exception {
        try (RawWire wire = new RawWire(host, port)) {
            ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 0, 0, command);
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            frame.release();
            wire.send(bytes);
            byte[] reply = wire.readFrame();
            assertThat(reply).as("a reply from %s:%d", host, port).isNotNull();
            return reply;
        }
    }

    private static BsonDocument body(byte[] reply) {
        return OpMsg.parse(Unpooled.wrappedBuffer(reply)).body();
    }

    @Test
    void aReplyOverMaxUpstreamReplyBytesIsAnErrorNamingTheSettingAndKeepsThePool() throws Exception {
        ConfigFile file = ConfigFile.parse("maxUpstreamReplyBytes: 2097152", "test");
        try (SluiceHarness sluice = SluiceHarness.start(null, file);
             MongoClient direct = MongoClients.create(sluice.server().embeddedUri());
             MongoClient proxied = MongoClients.create(sluice.uri("retryReads=false"));
             MongoClient bystander = MongoClients.create(sluice.uri("appName=bystander"))) {
            insertBigDocuments(direct.getDatabase("test").getCollection("big"), 4);
            assertThat(bystander.getDatabase("test").getCollection("big").countDocuments()).isEqualTo(4);
            HostPoolStats before = sluice.server().cluster().statistics().get(0);

            assertThatThrownBy(() -> proxied.getDatabase("test").runCommand(new Document("find", "big")))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(10334);
                        assertThat(e.getErrorCodeName()).isEqualTo("BSONObjectTooLarge");
                        assertThat(e.getErrorMessage()).contains("maxUpstreamReplyBytes (2097152)")
                                .containsPattern("is 3\\d{6} bytes");
                        assertThat(e.getErrorLabels()).isEmpty();
                    });

            HostPoolStats after = sluice.server().cluster().statistics().get(0);
            assertThat(after.clears()).as("pool clears").isEqualTo(before.clears());
            assertThat(after.generation()).as("pool generation").isEqualTo(before.generation());
            assertThat(errorCloses(sluice)).as("only that one backend connection closed").isEqualTo(1);
            assertThat(proxied.getDatabase("test").getCollection("big").countDocuments()).isEqualTo(4);
            assertThat(bystander.getDatabase("test").getCollection("big").find().limit(1).first()).isNotNull();
        }
    }

    private static void insertBigDocuments(MongoCollection<Document> collection, int count) {
        List<Document> chunk = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunk.add(new Document("_id", i).append("payload", BIG));
            if (chunk.size() == 10 || i == count - 1) {
                collection.insertMany(chunk);
                chunk = new ArrayList<>();
            }
        }
    }

    static double errorCloses(SluiceHarness sluice) {
        Counter c = sluice.server().meters().find("sluice.backend.connections.closed").tag("reason", "error").counter();
        return c == null ? 0 : c.count();
    }
}
