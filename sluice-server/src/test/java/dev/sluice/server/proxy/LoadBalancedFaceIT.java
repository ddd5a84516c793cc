package dev.sluice.server.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.sluice.server.client.ClientFace;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.RoundRobinRelay;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sluice's load-balanced face ({@code net.loadBalancedListen}): the real Java driver with {@code loadBalanced=true}
 * against it, as against a mongos behind an L4 load balancer; and the mode mismatches refused as mongos does.
 */
class LoadBalancedFaceIT {
    private static final ConfigFile LB_ON = ConfigFile.parse("net:\n  loadBalancedListen: 127.0.0.1:0\n", "inline");

    private static String lbUri(SluiceHarness sluice, String options) {
        var a = sluice.server().loadBalancedAddress();
        return "mongodb://" + a.getHostString() + ":" + a.getPort() + "/?loadBalanced=true" + options;
    }

    /** Records the serviceId of the connection each command went over, and counts getMores. */
    private static final class Seen implements CommandListener {
        final Set<ObjectId> serviceIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger getMores = new AtomicInteger();

        @Override
        public void commandStarted(CommandStartedEvent event) {
            ObjectId id = event.getConnectionDescription().getServiceId();
            if (id != null) {
                serviceIds.add(id);
            }
            if ("getMore".equals(event.getCommandName())) {
                getMores.incrementAndGet();
            }
        }
    }

    private static MongoClient driver(String uri, Seen seen) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .addCommandListener(seen).build());
    }

    @Test
    void aLoadBalancedDriverDoesCrudAndLongCursorsOverOneConnectionCarryingSluicesServiceId() throws Exception {
        Seen seen = new Seen();
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             MongoClient client = driver(lbUri(sluice, ""), seen)) {
            MongoCollection<Document> c = client.getDatabase("lb").getCollection("docs");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                docs.add(new Document("_id", i).append("v", i));
            }
            c.insertMany(docs);
            c.updateOne(Filters.eq("_id", 7), Updates.set("v", 700));
            assertThat(c.find(Filters.eq("_id", 7)).first()).containsEntry("v", 700);
            assertThat(c.deleteOne(Filters.eq("_id", 49)).getDeletedCount()).isEqualTo(1);
            int n = 0;
            for (Document ignored : c.find().batchSize(2)) {
                n++;
            }
            assertThat(n).isEqualTo(49);
            assertThat(seen.getMores.get()).isGreaterThanOrEqualTo(24);
            assertThat(seen.serviceIds).containsExactly(sluice.server().serviceId());
            // no monitoring connection, no RTT connection: the driver's one pooled connection is all Sluice sees
            List<String> ids = new ArrayList<>();
            for (ConnectionEntry e : sluice.server().registry().snapshot()) {
                if (e.connector().equals(ClientFace.LOAD_BALANCED_CONNECTOR)) {
                    ids.add(e.connectionId());
                }
            }
            assertThat(ids).singleElement().asString().startsWith("mongodb-lb-");
            Document status = client.getDatabase("admin").runCommand(new Document("serverStatus", 1));
            assertThat(status.get("connections", Document.class).getInteger("current")).isEqualTo(1);
        }
    }

    @Test
    void theFirstHelloGetsTheServiceIdAndAnAwaitableHelloIsAnsweredAtOnce() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             RawWire wire = new RawWire("127.0.0.1", sluice.server().loadBalancedAddress().getPort())) {
            wire.send(RawWire.opMsg(1, 0, bson(new BsonDocument("hello", new BsonInt32(1))
                    .append("loadBalanced", BsonBoolean.TRUE).append("$db", new BsonString("admin")))));
            BsonDocument first = body(wire.readFrame());
            assertThat(first.getObjectId("serviceId").getValue()).isEqualTo(sluice.server().serviceId());
            assertThat(first.getString("msg").getValue()).isEqualTo("isdbgrid");
            // a monitor's awaitable hello would wait up to maxAwaitTimeMS (here longer than the socket's 5 s timeout)
            wire.send(RawWire.opMsg(2, 0, bson(new BsonDocument("hello", new BsonInt32(1))
                    .append("topologyVersion", first.getDocument("topologyVersion"))
                    .append("maxAwaitTimeMS", new BsonInt32(60_000)).append("$db", new BsonString("admin")))));
            BsonDocument second = body(wire.readFrame());
            assertThat(second.getDouble("ok").getValue()).isEqualTo(1.0);
            assertThat(second.containsKey("serviceId")).isFalse(); // as mongos: only the first hello is special
        }
    }

    @Test
    void aHelloWithoutLoadBalancedOnTheLoadBalancedPortIsRefusedAsMongosDoesAndTheConnectionClosed() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             RawWire wire = new RawWire("127.0.0.1", sluice.server().loadBalancedAddress().getPort())) {
            wire.send(RawWire.opMsg(1, 0, bson(new BsonDocument("hello", new BsonInt32(1))
                    .append("$db", new BsonString("admin")))));
            BsonDocument reply = body(wire.readFrame());
            assertThat(reply.getInt32("code").getValue()).isEqualTo(354);
            assertThat(reply.getString("codeName").getValue()).isEqualTo("LoadBalancerSupportMismatch");
            assertThat(reply.getString("errmsg").getValue())
                    .contains("The server is being accessed through a load balancer, but this driver does not have "
                            + "load balancing enabled");
            assertThat(wire.closedByServer()).isTrue();
        }
        // and through the driver, which names the error in its server selection timeout
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             MongoClient client = MongoClients.create(lbUri(sluice, "").replace("loadBalanced=true",
                     "serverSelectionTimeoutMS=1500"))) {
            assertThatThrownBy(() -> client.getDatabase("lb").getCollection("c").insertOne(new Document()))
                    .isInstanceOf(MongoException.class).hasMessageContaining("LoadBalancerSupportMismatch");
        }
    }

    @Test
    void aLoadBalancedHelloOnTheRouterPortIsRefusedNamingTheLoadBalancedPort() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             MongoClient client = MongoClients.create(sluice.uri("loadBalanced=true"))) {
            var lb = sluice.server().loadBalancedAddress();
            assertThatThrownBy(() -> client.getDatabase("lb").getCollection("c").insertOne(new Document()))
                    .isInstanceOf(MongoException.class)
                    .hasMessageContaining("354")
                    .hasMessageContaining("router port")
                    .hasMessageContaining(lb.getHostString() + ":" + lb.getPort());
        }
        try (SluiceHarness sluice = SluiceHarness.start(null, LB_ON);
             RawWire wire = new RawWire("127.0.0.1", sluice.server().mongoAddress().getPort())) {
            wire.send(RawWire.opMsg(1, 0, bson(new BsonDocument("hello", new BsonInt32(1))
                    .append("loadBalanced", BsonBoolean.TRUE).append("$db", new BsonString("admin")))));
            assertThat(body(wire.readFrame()).getString("codeName").getValue()).isEqualTo("LoadBalancerSupportMismatch");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void transactionsRunThroughTheLoadBalancedFace() throws Exception {
        Seen seen = new Seen();
        try (FakeMongod mongos = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.start(mongos.uri(), LB_ON);
             MongoClient client = driver(lbUri(sluice, ""), seen)) {
            MongoCollection<Document> c = client.getDatabase("lb").getCollection("t");
            for (int round = 0; round < 3; round++) {
                try (ClientSession session = client.startSession()) {
                    session.startTransaction();
                    c.insertOne(session, new Document("round", round));
                    c.insertOne(session, new Document("round", round));
                    session.commitTransaction();
                }
            }
            assertThat(mongos.count("commitTransaction")).isEqualTo(3);
            assertThat(seen.serviceIds).containsExactly(sluice.server().serviceId());
        }
    }

    @Test
    void aFleetOfTwoSluicesBehindOneL4BalancerServesALoadBalancedDriver() throws Exception {
        Seen seen = new Seen();
        try (SluiceHarness first = SluiceHarness.start(null, LB_ON);
             SluiceHarness second = SluiceHarness.start(first.server().embeddedUri(), LB_ON);
             RoundRobinRelay balancer = RoundRobinRelay.start(List.of(first.server().loadBalancedAddress().getPort(),
                     second.server().loadBalancedAddress().getPort()));
             MongoClient client = driver("mongodb://127.0.0.1:" + balancer.port() + "/?loadBalanced=true", seen)) {
            MongoCollection<Document> c = client.getDatabase("fleet").getCollection("docs");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                docs.add(new Document("_id", i));
            }
            c.insertMany(docs);
            // several cursors open at once: the driver takes a connection per cursor, spread over both Sluices
            List<com.mongodb.client.MongoCursor<Document>> cursors = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                com.mongodb.client.MongoCursor<Document> cursor = c.find().batchSize(2).iterator();
                cursor.next();
                cursors.add(cursor);
            }
            for (com.mongodb.client.MongoCursor<Document> cursor : cursors) {
                int n = 1;
                while (cursor.hasNext()) {
                    cursor.next();
                    n++;
                }
                assertThat(n).isEqualTo(50);
            }
            assertThat(seen.serviceIds).containsExactlyInAnyOrder(first.server().serviceId(),
                    second.server().serviceId());
        }
    }

    private static byte[] bson(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        byte[] out = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(out);
        return out;
    }

    private static BsonDocument body(byte[] frame) {
        assertThat(frame).isNotNull();
        return new RawBsonDocument(frame, 21, frame.length - 21);
    }
}
