package dev.sluice.server.proxy;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerConnectionState;
import com.mongodb.connection.ServerType;
import com.mongodb.event.ServerHeartbeatSucceededEvent;
import com.mongodb.event.ServerMonitorListener;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sluice answers handshakes and monitoring itself, as a router, in the form each client uses. */
class HandshakeIT {
    private static SluiceHarness sluice;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceHarness.embedded();
    }

    @AfterAll
    static void stop() {
        sluice.close();
    }

    @Test
    void driverSeesARouterAndRecordsItsMetadataAsUserAgent() {
        try (MongoClient client = MongoClients.create(sluice.uri("appName=handshakeApp"))) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            ClusterDescription d = client.getClusterDescription();
            assertThat(d.getServerDescriptions()).singleElement()
                    .satisfies(s -> assertThat(s.getType()).isEqualTo(ServerType.SHARD_ROUTER));
            assertThat(sluice.server().registry().snapshot())
                    .anySatisfy(e -> assertThat(e.userAgent()).startsWith("mongo-java-driver|sync/").endsWith(" handshakeApp"));
        }
    }

    @Test
    void streamingMonitorKeepsItsConnectionsAtSluiceAndNoneUpstream() {
        long createdBefore = sluice.server().cluster().statistics().get(0).created();
        CopyOnWriteArrayList<ServerHeartbeatSucceededEvent> beats = new CopyOnWriteArrayList<>();
        var settings = com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(sluice.uri("appName=monitored&heartbeatFrequencyMS=500")))
                .applyToServerSettings(s -> s.addServerMonitorListener(new ServerMonitorListener() {
                    @Override
                    public void serverHeartbeatSucceeded(ServerHeartbeatSucceededEvent event) {
                        beats.add(event);
                    }
                })).build();
        try (MongoClient client = MongoClients.create(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> beats.stream().anyMatch(ServerHeartbeatSucceededEvent::isAwaited));
            assertThat(client.getClusterDescription().getServerDescriptions().get(0).getState())
                    .isEqualTo(ServerConnectionState.CONNECTED);
            long monitoring = sluice.server().registry().snapshot().stream()
                    .filter(e -> "monitored".equals(e.appName())).count();
            assertThat(monitoring).as("monitor + RTT connections at Sluice").isGreaterThanOrEqualTo(2);
        }
        assertThat(sluice.server().cluster().statistics().get(0).created()).isEqualTo(createdBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zlib", "zstd"})
    void compressedTrafficRoundTrips(String compressor) {
        try (MongoClient client = MongoClients.create(sluice.uri("compressors=" + compressor + "&appName=z" + compressor))) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("z" + compressor);
            c.drop();
            String big = "x".repeat(200_000);
            c.insertOne(new Document("_id", 1).append("big", big));
            assertThat(c.find().first().getString("big")).isEqualTo(big);
            ConnectionEntry entry = sluice.server().registry().snapshot().stream()
                    .filter(e -> ("z" + compressor).equals(e.appName()) && e.opCount() > 0).findFirst().orElseThrow();
            assertThat(entry.bytesIn()).as("the 200 KB document arrived compressed").isLessThan(100_000);
        }
    }

    @Test
    void unacknowledgedWritesAreForwarded() {
        try (MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("w0");
            c.drop();
            c.withWriteConcern(WriteConcern.UNACKNOWLEDGED).insertOne(new Document("_id", 1));
            await().until(() -> c.countDocuments() == 1);
        }
    }

    @Test
    void legacyOpQueryIsMasterIsAnsweredWithOpReply() throws Exception {
        var address = sluice.server().mongoAddress();
        try (RawWire raw = new RawWire(address.getHostString(), address.getPort())) {
            raw.send(opQueryIsMaster(42));
            byte[] reply = raw.readFrame();
            assertThat(RawWire.opCode(reply)).isEqualTo(1);
            assertThat(RawWire.responseTo(reply)).isEqualTo(42);
            String text = new String(reply, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("ismaster").contains("isdbgrid").doesNotContain("isWritablePrimary");
        }
    }

    @Test
    void legacyOpQueryCommandsAreForwardedAndAnsweredWithOpReplyEach() throws Exception {
        var address = sluice.server().mongoAddress();
        try (RawWire raw = new RawWire(address.getHostString(), address.getPort())) {
            for (int requestId : new int[] {7, 8}) {
                raw.send(opQuery(requestId, "legacydb.$cmd", new org.bson.BsonDocument("count",
                        new org.bson.BsonString("items"))));
                byte[] reply = raw.readFrame();
                assertThat(RawWire.opCode(reply)).as("OP_REPLY").isEqualTo(1);
                assertThat(RawWire.responseTo(reply)).isEqualTo(requestId);
                // OP_REPLY: header 16, flags 4, cursorId 8, startingFrom 4, numberReturned 4, then the document
                org.bson.RawBsonDocument doc = new org.bson.RawBsonDocument(reply, 36, reply.length - 36);
                assertThat(doc.getNumber("ok").intValue()).isEqualTo(1);
                assertThat(doc.getNumber("n").intValue()).isZero();
            }
        }
    }

    private static byte[] opQuery(int requestId, String namespace, org.bson.BsonDocument command) {
        org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(command, new org.bson.codecs.BsonDocumentCodec());
        byte[] doc = java.util.Arrays.copyOf(raw.getByteBuffer().array(), raw.getByteBuffer().remaining());
        byte[] ns = (namespace + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + ns.length + 8 + doc.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.capacity()).putInt(requestId).putInt(0).putInt(2004).putInt(0).put(ns).putInt(0).putInt(-1);
        b.put(doc);
        return b.array();
    }

    private static byte[] opQueryIsMaster(int requestId) {
        ByteBuffer doc = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        doc.putInt(0).put((byte) 0x10).put("isMaster".getBytes(StandardCharsets.UTF_8)).put((byte) 0).putInt(1).put((byte) 0);
        int docLen = doc.position();
        doc.putInt(0, docLen);
        byte[] ns = "admin.$cmd\0".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + ns.length + 8 + docLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.capacity()).putInt(requestId).putInt(0).putInt(2004).putInt(0).put(ns).putInt(0).putInt(-1);
        b.put(doc.array(), 0, docLen);
        return b.array();
    }
}
