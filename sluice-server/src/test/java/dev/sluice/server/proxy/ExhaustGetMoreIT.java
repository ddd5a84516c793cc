package dev.sluice.server.proxy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 8: a getMore with exhaustAllowed reached the client as SocketException 9001 and cleared
 * the host's pool. The embedded backend cannot parse exhaustAllowed (it closes the connection), so
 * Sluice does not send it there (OP_MSG lets a server answer an exhaust request with one reply): the
 * client gets the backend's own reply, success or error, and the pool is kept.
 */
class ExhaustGetMoreIT {

    @Test
    void exhaustGetMoreGetsTheBackendsOwnRepliesAndKeepsThePool() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri())) {
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                docs.add(new Document("_id", i));
            }
            client.getDatabase("test").getCollection("c").insertMany(docs);
            HostPoolStats before = sluice.server().cluster().statistics().get(0);
            InetSocketAddress a = sluice.server().mongoAddress();
            try (RawWire wire = new RawWire(a.getHostString(), a.getPort())) {
                BsonDocument found = call(wire, 1, 0, new BsonDocument("find", new BsonString("c"))
                        .append("batchSize", new BsonInt32(2)).append("$db", new BsonString("test")));
                long cursorId = found.getDocument("cursor").getInt64("id").getValue();
                assertThat(cursorId).isNotZero();

                ByteBuf more = frame(2, OpMsg.EXHAUST_ALLOWED, getMore(cursorId));
                wire.send(bytes(more));
                byte[] reply = wire.readFrame();
                assertThat(reply).as("a reply, not a closed connection").isNotNull();
                assertThat(OpMsg.flags(Unpooled.wrappedBuffer(reply)) & OpMsg.MORE_TO_COME).isZero();
                BsonDocument batch = body(reply);
                assertThat(batch.getNumber("ok").intValue()).as(batch.toJson()).isEqualTo(1);
                assertThat(batch.getDocument("cursor").getArray("nextBatch")).hasSize(8);

                BsonDocument viaSluice = call(wire, 3, OpMsg.EXHAUST_ALLOWED, getMore(424242L));
                BsonDocument direct = directly(sluice, getMore(424242L));
                assertThat(viaSluice.getNumber("ok").intValue()).isZero();
                assertThat(viaSluice.get("code")).isEqualTo(direct.get("code")).isNotEqualTo(new BsonInt32(9001));
                assertThat(viaSluice.get("errmsg")).isEqualTo(direct.get("errmsg"));
            }
            HostPoolStats after = sluice.server().cluster().statistics().get(0);
            assertThat(after.clears()).as("pool clears").isEqualTo(before.clears());
            assertThat(after.generation()).as("pool generation").isEqualTo(before.generation());
            assertThat(client.getDatabase("test").getCollection("c").countDocuments()).isEqualTo(10);
        }
    }

    private static BsonDocument getMore(long cursorId) {
        return new BsonDocument("getMore", new BsonInt64(cursorId)).append("collection", new BsonString("c"))
                .append("batchSize", new BsonInt32(100)).append("$db", new BsonString("test"));
    }

    /** The same request without exhaustAllowed, straight to the embedded backend. */
    private static BsonDocument directly(SluiceHarness sluice, BsonDocument command) throws Exception {
        URI uri = URI.create(sluice.server().embeddedUri());
        try (RawWire wire = new RawWire(uri.getHost(), uri.getPort())) {
            return call(wire, 9, 0, command);
        }
    }

    private static BsonDocument call(RawWire wire, int requestId, int flags, BsonDocument command) throws Exception {
        wire.send(bytes(frame(requestId, flags, command)));
        byte[] reply = wire.readFrame();
        assertThat(reply).as("a reply, not a closed connection").isNotNull();
        return body(reply);
    }

    private static ByteBuf frame(int requestId, int flags, BsonDocument command) {
        return OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, requestId, 0, flags, command);
    }

    private static byte[] bytes(ByteBuf frame) {
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        frame.release();
        return b;
    }

    private static BsonDocument body(byte[] reply) {
        return OpMsg.parse(Unpooled.wrappedBuffer(reply)).body();
    }
}
