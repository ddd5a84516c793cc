package dev.sluice.server.proxy;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.wire.OpMsg;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding 9: clients leaving churned backend connections. A request fully sent upstream whose
 * client left (an unacknowledged write or endSessions just before the socket closes) is let to
 * complete and its connection returned to the pool, not closed.
 */
class ClientExitChurnIT {

    @Test
    void clientsThatLeaveRightAfterAnUnacknowledgedWriteDoNotChurnBackendConnections() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            long createdBefore = stats(sluice).created();
            for (int i = 0; i < 40; i++) {
                try (MongoClient client = MongoClients.create(sluice.uri("appName=exit"))) {
                    client.getDatabase("test").getCollection("exit").withWriteConcern(WriteConcern.UNACKNOWLEDGED)
                            .insertOne(new Document("i", i));
                }
            }
            await().until(() -> stats(sluice).inUse() == 0);
            assertThat(errorCloses(sluice)).as("backend connections closed with an error").isZero();
            assertThat(stats(sluice).created() - createdBefore).as("backend connections opened").isLessThanOrEqualTo(4);
            try (MongoClient check = MongoClients.create(sluice.uri())) {
                await().until(() -> check.getDatabase("test").getCollection("exit").countDocuments() == 40);
            }
        }
    }

    @Test
    void unacknowledgedEndSessionsBeforeTheSocketClosesDoesNotChurnBackendConnections() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            InetSocketAddress a = sluice.server().mongoAddress();
            long createdBefore = stats(sluice).created();
            for (int i = 0; i < 40; i++) {
                try (RawWire wire = new RawWire(a.getHostString(), a.getPort())) {
                    // as the Node.js driver and mongosh do at exit: endSessions with moreToCome, then close
                    BsonDocument endSessions = new BsonDocument("endSessions", new BsonArray(java.util.List.of(
                            new BsonDocument("id", uuid()))))
                            .append("$db", new BsonString("admin"));
                    ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, i + 1, 0, OpMsg.MORE_TO_COME, endSessions);
                    byte[] bytes = new byte[frame.readableBytes()];
                    frame.readBytes(bytes);
                    frame.release();
                    wire.send(bytes);
                }
            }
            await().until(() -> stats(sluice).inUse() == 0);
            assertThat(errorCloses(sluice)).as("backend connections closed with an error").isZero();
            // 40 clients leaving at once: a few requests overlap, each on its own connection, all kept (far fewer
            // than one per client; how many overlap depends on the machine's scheduling)
            assertThat(stats(sluice).created() - createdBefore).as("backend connections opened").isLessThanOrEqualTo(20);
            assertThat(stats(sluice).closed()).as("backend connections closed").isZero();
        }
    }

    private static BsonBinary uuid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return new BsonBinary(BsonBinarySubType.UUID_STANDARD, b.array());
    }

    private static HostPoolStats stats(SluiceHarness sluice) {
        return sluice.server().cluster().statistics().get(0);
    }

    private static double errorCloses(SluiceHarness sluice) {
        Counter c = sluice.server().meters().find("sluice.backend.connections.closed").tag("reason", "error").counter();
        return c == null ? 0 : c.count();
    }
}
