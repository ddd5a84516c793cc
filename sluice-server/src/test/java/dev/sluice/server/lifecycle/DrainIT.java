package dev.sluice.server.lifecycle;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A drain started by {@code {sluiceDrain: 1}} while the Java driver iterates cursors: readiness is 503 at once,
 * new connections are refused, the cursors being read finish whole on the connections the driver holds, the
 * awaitable hello a monitor keeps waiting is answered with ShutdownInProgress (quiesce), and Sluice stops as
 * soon as the work is done, well within shutdownTimeoutMS.
 */
class DrainIT {
    private static final int DOCS = 200;
    private static final int BATCH = 10;
    private static final long GRACE_MS = 15_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aDrainLetsCursorsInFlightFinishRefusesNewConnectionsAndEndsWithinTheGracePeriod() throws Exception {
        SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("shutdownTimeoutMS: " + GRACE_MS, "test"));
        InetSocketAddress mongo = sluice.server().mongoAddress();
        try (MongoClient load = MongoClients.create(sluice.uri("maxPoolSize=4"));
             MongoClient admin = MongoClients.create(sluice.uri("appName=drain-admin"));
             Socket monitor = new Socket(mongo.getHostString(), mongo.getPort())) {
            MongoCollection<Document> docs = load.getDatabase("drain").getCollection("docs");
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                batch.add(new Document("_id", i).append("pad", "x".repeat(100)));
            }
            docs.insertMany(batch);
            await().atMost(Duration.ofSeconds(10)).until(() -> readyz(sluice).statusCode() == 200);

            // a monitor's awaitable hello, waiting on the current topologyVersion
            monitor.setSoTimeout((int) GRACE_MS + 5_000);
            BsonDocument first = call(monitor, new BsonDocument("hello", new BsonInt32(1)).append("$db", new BsonString("admin")));
            call(monitor, null, new BsonDocument("hello", new BsonInt32(1))
                    .append("topologyVersion", first.getDocument("topologyVersion"))
                    .append("maxAwaitTimeMS", new BsonInt64(GRACE_MS)).append("$db", new BsonString("admin")));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger cursorsDone = new AtomicInteger();
            Queue<Integer> counts = new ConcurrentLinkedQueue<>();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            int n = 0;
                            try (MongoCursor<Document> cursor = docs.find().batchSize(BATCH).iterator()) {
                                while (cursor.hasNext()) {
                                    cursor.next();
                                    n++;
                                }
                            }
                            counts.add(n);
                            cursorsDone.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }, "drain-reader-" + t);
                reader.start();
                readers.add(reader);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> cursorsDone.get() >= 6 && !errors.isEmpty() || cursorsDone.get() >= 6);
            assertThat(errors).isEmpty();

            long started = System.nanoTime();
            Document reply = admin.getDatabase("admin").runCommand(new Document("sluiceDrain", 1));
            assertThat(reply.getBoolean("draining")).isTrue();
            assertThat(reply.get("shutdownTimeoutMS", Number.class).longValue()).isEqualTo(GRACE_MS);
            int doneAtDrain = cursorsDone.get();

            await().atMost(Duration.ofSeconds(1)).until(() -> readyz(sluice).statusCode() == 503);
            assertThat(readyz(sluice).body()).isEqualTo("draining");
            await().atMost(Duration.ofSeconds(2)).until(() -> refused(mongo));
            assertThat(sluice.server().stopped()).as("cursors are open: the drain waits for them").isNotDone();

            // the readers finish the cursor they are in, and may start more on the connections they hold
            await().atMost(Duration.ofSeconds(5)).until(() -> cursorsDone.get() >= doneAtDrain + 3);
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(reader.isAlive()).isFalse();
            }
            assertThat(errors).isEmpty();
            assertThat(counts).isNotEmpty().allMatch(n -> n == DOCS);

            BsonDocument quiesced = read(monitor);
            assertThat(quiesced.getNumber("ok").intValue()).isZero();
            assertThat(quiesced.getInt32("code").getValue()).isEqualTo(91);
            assertThat(quiesced.getString("codeName").getValue()).isEqualTo("ShutdownInProgress");
            assertThat(quiesced.getDocument("topologyVersion")).isNotEqualTo(first.getDocument("topologyVersion"));

            sluice.server().stopped().get(GRACE_MS + 5_000, TimeUnit.MILLISECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("stopped when the work ended, before shutdownTimeoutMS").isLessThan(GRACE_MS);
        } finally {
            sluice.close();
        }
    }

    private static HttpResponse<String> readyz(SluiceHarness sluice) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort()
                + "/readyz")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refused(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static BsonDocument call(Socket socket, BsonDocument command) throws IOException {
        call(socket, null, command);
        return read(socket);
    }

    /** Sends {@code command} as an OP_MSG. */
    private static void call(Socket socket, Void unused, BsonDocument command) throws IOException {
        org.bson.io.BasicOutputBuffer buffer = new org.bson.io.BasicOutputBuffer();
        new BsonDocumentCodec().encode(new org.bson.BsonBinaryWriter(buffer), command,
                org.bson.codecs.EncoderContext.builder().build());
        byte[] bson = buffer.toByteArray();
        int length = 16 + 4 + 1 + bson.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(7).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(bson);
        OutputStream out = socket.getOutputStream();
        out.write(b.array());
        out.flush();
    }

    /** Reads one OP_MSG reply's body. */
    private static BsonDocument read(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] head = new byte[4];
        in.readFully(head);
        int length = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] rest = new byte[length - 4];
        in.readFully(rest);
        byte[] body = java.util.Arrays.copyOfRange(rest, 12 + 4 + 1, rest.length);
        return new RawBsonDocument(body);
    }

    @Test
    void shutdownStopsSluiceAsOnMongosAndNeverReachesTheCluster() throws Exception {
        try (dev.sluice.server.testing.FakeMongod backend = dev.sluice.server.testing.FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient admin = MongoClients.create(sluice.uri("appName=shutdown"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.getDatabase("test")
                            .runCommand(new Document("shutdown", 1)))
                    .isInstanceOfSatisfying(com.mongodb.MongoCommandException.class,
                            e -> assertThat(e.getErrorCode()).as("admin only").isEqualTo(13));
            assertThat(sluice.server().draining()).isFalse();
            Document reply = admin.getDatabase("admin").runCommand(new Document("shutdown", 1).append("force", true));
            assertThat(reply.getBoolean("draining")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().draining());
            sluice.server().stopped().get(30, TimeUnit.SECONDS);
            assertThat(backend.commands()).as("the cluster never sees it").doesNotContain("shutdown");
        }
    }
}
