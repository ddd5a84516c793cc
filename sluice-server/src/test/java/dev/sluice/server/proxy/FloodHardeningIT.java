package dev.sluice.server.proxy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks from anyone who can reach the mongodb connector: stalled partial messages, connections
 * that never say hello, oversized client metadata. Each is bounded by a setting, counted, and never
 * stalls a bystander driver.
 */
class FloodHardeningIT {

    private static byte[] bson(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        ByteBuffer b = raw.getByteBuffer().asNIO();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The first {@code sent} bytes of an OP_MSG announcing {@code declared} bytes. */
    private static byte[] partialFrame(int declared, int sent) {
        ByteBuffer b = ByteBuffer.allocate(sent).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(declared).putInt(1).putInt(0).putInt(2013).putInt(0).put((byte) 0);
        return b.array();
    }

    private static long limitCloses(SluiceHarness sluice, String limit) {
        return sluice.server().registry().limitCloses("mongodb", limit);
    }

    @Test
    void hundredsOfStalledPartialMessagesStayUnderTheBudgetWhileADriverKeepsWorking() throws Exception {
        ConfigFile config = ConfigFile.parse("maxBufferedFrameBytes: 33554432\nframeTimeoutMS: 4000\n", "test");
        int attackers = 200;
        int declared = 8_000_000;
        int sent = 1 << 20; // 200 x 1 MiB = 200 MiB wanted; the budget is 32 MiB
        try (SluiceHarness sluice = SluiceHarness.start(null, config);
             MongoClient bystander = MongoClients.create(sluice.uri("appName=bystander&serverSelectionTimeoutMS=5000"))) {
            var docs = bystander.getDatabase("test").getCollection("flood");
            docs.insertOne(new Document("_id", 1));
            var address = sluice.server().mongoAddress();
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong worstMillis = new AtomicLong();
            AtomicLong maxHeld = new AtomicLong();
            Thread probe = new Thread(() -> {
                while (attacking.get()) {
                    long t0 = System.nanoTime();
                    docs.find(new Document("_id", 1)).first();
                    worstMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    maxHeld.accumulateAndGet(sluice.server().bufferedFrameBytes(), Math::max);
                }
            });
            probe.start();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < attackers; i++) {
                    Socket s = new Socket(address.getHostString(), address.getPort());
                    sockets.add(s);
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(partialFrame(declared, sent));
                        out.flush();
                    } catch (java.io.IOException closedAlready) {
                        // evicted while we were still writing: that is the point
                    }
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(limitCloses(sluice, "maxBufferedFrameBytes")).isGreaterThan(0));
                // within the budget, give or take the read that crossed it (evicted at once)
                assertThat(sluice.server().bufferedFrameBytes()).isLessThanOrEqualTo((32L << 20) + (1 << 20));
                // the stalled ones left are closed by frameTimeoutMS
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(limitCloses(sluice, "frameTimeoutMS")).isGreaterThan(0);
                    assertThat(sluice.server().bufferedFrameBytes()).isZero();
                });
                assertThat(limitCloses(sluice, "maxBufferedFrameBytes") + limitCloses(sluice, "frameTimeoutMS"))
                        .isEqualTo(attackers);
            } finally {
                attacking.set(false);
                probe.join(10_000);
                for (Socket s : sockets) {
                    s.close();
                }
            }
            // the sum can pass the budget by the read that crossed it (one socket read per event loop) until the eviction
            assertThat(maxHeld.get()).as("bytes held in partial messages").isLessThanOrEqualTo((32L << 20) + (1 << 20));
            assertThat(worstMillis.get()).as("bystander's slowest find during the flood (ms)").isLessThan(2_000);
            assertThat(docs.countDocuments()).isEqualTo(1);
            Document status = bystander.getDatabase("admin").runCommand(new Document("serverStatus", 1));
            Document closes = status.get("sluice", Document.class).get("limitCloses", Document.class).get("mongodb", Document.class);
            assertThat(closes.get("maxBufferedFrameBytes", Number.class).longValue()).isGreaterThan(0);
            assertThat(closes.get("frameTimeoutMS", Number.class).longValue()).isGreaterThan(0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sluice.server().meters().scrape()).contains("sluice_connections_limit_closed_total{connector=\"mongodb\",limit=\"frameTimeoutMS\"}"));
        }
    }

    @Test
    void connectionsThatNeverSayHelloAreClosedAfterTheLoginTimeout() throws Exception {
        ConfigFile config = ConfigFile.parse("loginTimeoutMS: 500\n", "test");
        try (SluiceHarness sluice = SluiceHarness.start(null, config);
             MongoClient client = MongoClients.create(sluice.uri("appName=patient"))) {
            var a = sluice.server().mongoAddress();
            List<RawWire> idle = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                idle.add(new RawWire(a.getHostString(), a.getPort()));
            }
            try {
                for (RawWire w : idle) {
                    assertThat(w.closedByServer()).isTrue();
                }
                assertThat(limitCloses(sluice, "loginTimeoutMS")).isEqualTo(20);
                // a driver that did its handshake is never closed by it, however long it idles
                client.getDatabase("admin").runCommand(new Document("ping", 1));
                await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue())
                                .isEqualTo(1));
                assertThat(limitCloses(sluice, "loginTimeoutMS")).isEqualTo(20);
            } finally {
                for (RawWire w : idle) {
                    w.close();
                }
            }
        }
    }

    @Test
    void clientMetadataOver512BytesIsRefusedAsMongodRefusesIt() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            var a = sluice.server().mongoAddress();
            String huge = "x".repeat(8 * 1024 * 1024);
            BsonDocument hello = new BsonDocument("hello", new BsonInt32(1))
                    .append("client", new BsonDocument("application", new BsonDocument("name", new BsonString(huge)))
                            .append("driver", new BsonDocument("name", new BsonString("attacker")).append("version", new BsonString("1"))))
                    .append("$db", new BsonString("admin"));
            try (RawWire w = new RawWire(a.getHostString(), a.getPort())) {
                w.send(RawWire.opMsg(7, 0, bson(hello)));
                byte[] reply = w.readFrame();
                RawBsonDocument body = new RawBsonDocument(reply, 21, reply.length - 21);
                assertThat(body.getNumber("ok").intValue()).isZero();
                assertThat(body.getInt32("code").getValue()).isEqualTo(185);
                assertThat(body.getString("codeName").getValue()).isEqualTo("ClientMetadataDocumentTooLarge");
                assertThat(body.getString("errmsg").getValue())
                        .isEqualTo("The client metadata document must be less then or equal to 512 bytes");
                var entries = sluice.server().registry().snapshot();
                assertThat(entries).allSatisfy(e -> {
                    assertThat(e.appName()).isNull();
                    assertThat(e.userAgent()).isNull();
                });
                // an application name over 128 bytes in a small document: mongod's 184
                BsonDocument named = new BsonDocument("hello", new BsonInt32(1))
                        .append("client", new BsonDocument("application", new BsonDocument("name", new BsonString("n".repeat(200)))))
                        .append("$db", new BsonString("admin"));
                w.send(RawWire.opMsg(8, 0, bson(named)));
                byte[] second = w.readFrame();
                RawBsonDocument body2 = new RawBsonDocument(second, 21, second.length - 21);
                assertThat(body2.getInt32("code").getValue()).isEqualTo(184);
                // a correct hello on the same connection is then answered
                w.send(RawWire.opMsg(9, 0, RawWire.helloDoc()));
                byte[] third = w.readFrame();
                RawBsonDocument body3 = new RawBsonDocument(third, 21, third.length - 21);
                assertThat(body3.getNumber("ok").intValue()).isEqualTo(1);
            }
            try (MongoClient client = MongoClients.create(sluice.uri("appName=fine"))) {
                assertThat(client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue()).isEqualTo(1);
            }
        }
    }
}
