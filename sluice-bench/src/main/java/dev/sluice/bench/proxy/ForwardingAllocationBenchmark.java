package dev.sluice.bench.proxy;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.cli.LeakSampling;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;
import dev.sluice.server.wire.DocumentSequence;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Heap allocated per forwarded operation: one {@code find} or one {@code insert} at a time, from a blocking client
 * on one loopback socket, either straight to {@link FastMongod} ({@code target=direct}) or through a Sluice running
 * in this JVM ({@code target=sluice}) whose upstream is that FastMongod. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} counts every thread of the JVM, so the direct row is the harness's own allocation (client
 * plus FastMongod) and Sluice's allocation per operation is the sluice row minus the direct row.
 *
 * <p>The client allocates nothing per operation: the request is encoded once into a direct buffer (only its
 * requestId is patched per send), the reply is read into one reused direct buffer and checked by its
 * {@code responseTo}. FastMongod answers find and insert from bytes encoded once.
 *
 * <p>Cross-check: at the end of each iteration the bytes allocated by the threads Sluice started (its event loops)
 * and by the client's own thread, by {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}, are printed
 * per operation.
 *
 * <pre>
 * java -Xss512k -jar sluice-bench/target/benchmarks.jar ForwardingAllocationBenchmark -prof gc \
 *   -wi 3 -i 5 -f 1 -w 2s -r 3s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss512k", "-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class ForwardingAllocationBenchmark {
    static {
        // Netty's leak sampling as `./sluice serve` sets it (one buffer in 4,096; Netty's default of 128 traces a
        // buffer, and every slice of it, about once in 70 operations here: +90 B per operation). Set here, not in
        // @Fork: a -jvmArgsAppend on the command line replaces the annotation's options
        LeakSampling.applyDefault();
    }

    private static final int HEADER = 16;

    @Param({"direct", "sluice"})
    public String target;

    /**
     * {@code insert}: the document inside the body; {@code insert-sequence}: the drivers' form, the documents in a
     * kind-1 section; {@code bulk-sequence}: 1,000 documents in a kind-1 section (a driver's insertMany batch).
     */
    @Param({"find", "insert", "insert-sequence"})
    public String op;

    private FastMongod mongod;
    private SluiceServer sluice;
    private SocketChannel socket;
    private final ByteBuffer request = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private int requestIds;
    private long ops;
    private long[] sluiceThreads = new long[0];
    private long sluiceAllocatedAtStart;
    private long opsAtStart;
    private long clientAllocatedAtStart;

    @Setup(Level.Trial)
    public void start() throws Exception {
        mongod = FakeMongod.fast("127.0.0.1", 0, 1);
        InetSocketAddress to = mongod.address();
        if (target.equals("sluice")) {
            Set<Long> before = threadIds();
            sluice = new SluiceServer(SluiceConfig.merge(ConfigFile.EMPTY, "127.0.0.1:0", null,
                    "mongodb://127.0.0.1:" + mongod.port() + "/?maxPoolSize=4"), Clock.systemUTC()).start();
            to = sluice.mongoAddress();
            socket = connect(to);
            roundTrip(WireFrames.hello("alloc-bench"));
            sluiceThreads = newThreads(before);
        } else if (target.equals("direct")) {
            socket = connect(to);
            roundTrip(WireFrames.hello("alloc-bench"));
        } else {
            throw new IllegalArgumentException("target: " + target + " (expected: direct or sluice)");
        }
        byte[] frame = switch (op) {
            case "find" -> WireFrames.find();
            case "insert" -> insert();
            case "insert-sequence" -> insertSequence(1);
            case "bulk-sequence" -> insertSequence(1000);
            default -> throw new IllegalArgumentException("op: " + op
                    + " (expected: find, insert, insert-sequence or bulk-sequence)");
        };
        roundTrip(frame); // the first one checks the reply; the benchmark reuses the encoded request
        request.clear();
        request.put(frame).flip();
    }

    /** {@code {insert: "items", documents: [{_id: 1, name: "tea", qty: 2}], ordered: true, $db: "bench"}}. */
    private static byte[] insert() {
        BsonDocument doc = new BsonDocument("_id", new BsonInt32(1)).append("name", new BsonString("tea"))
                .append("qty", new BsonInt32(2));
        return WireFrames.encode(new BsonDocument("insert", new BsonString("items"))
                .append("documents", new BsonArray(List.of(doc))).append("ordered", BsonBoolean.TRUE)
                .append("$db", new BsonString("bench")));
    }

    /** {@code {insert: "items", ordered: true, $db: "bench"}} and {@code count} documents as a kind-1 section. */
    private static byte[] insertSequence(int count) {
        List<BsonDocument> docs = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(new BsonDocument("_id", new BsonInt32(i)).append("name", new BsonString("tea"))
                    .append("qty", new BsonInt32(2)));
        }
        return WireFrames.encode(new BsonDocument("insert", new BsonString("items")).append("ordered", BsonBoolean.TRUE)
                .append("$db", new BsonString("bench")), List.of(DocumentSequence.of("documents", docs)));
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        sluiceAllocatedAtStart = sluiceAllocated();
        opsAtStart = ops;
        clientAllocatedAtStart = threads().getCurrentThreadAllocatedBytes(); // iteration set-up runs on the client's thread
    }

    @TearDown(Level.Iteration)
    public void reportIteration() {
        long client = threads().getCurrentThreadAllocatedBytes() - clientAllocatedAtStart;
        if (ops > opsAtStart) {
            System.out.printf(Locale.ROOT, "%n[cross-check] the client's thread allocated %.1f B/op over %d ops%n",
                    (double) client / (ops - opsAtStart), ops - opsAtStart);
        }
        if (sluiceThreads.length > 0 && ops > opsAtStart) {
            System.out.printf(Locale.ROOT, "%n[cross-check] Sluice's %d threads allocated %.1f B/op over %d ops"
                    + " (Netty leak sampling interval %s, transport %s)%n",
                    sluiceThreads.length, (double) (sluiceAllocated() - sluiceAllocatedAtStart) / (ops - opsAtStart),
                    ops - opsAtStart, LeakSampling.effective(), sluice.transportName());
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (mongod != null) {
            mongod.close();
        }
    }

    /** One request and its whole reply; returns the reply's length. */
    @Benchmark
    public int forward() throws IOException {
        int id = ++requestIds & Integer.MAX_VALUE;
        request.putInt(4, id);
        request.position(0);
        while (request.hasRemaining()) {
            socket.write(request);
        }
        reply.clear();
        int length = Integer.MAX_VALUE;
        while (reply.position() < length) {
            if (socket.read(reply) < 0) {
                throw new EOFException("connection closed by " + target);
            }
            if (length == Integer.MAX_VALUE && reply.position() >= 4) {
                length = reply.getInt(0);
                if (length > reply.capacity()) {
                    throw new IOException("reply of " + length + " bytes, more than the benchmark's buffer");
                }
            }
        }
        if (reply.getInt(8) != id) {
            throw new IOException("reply to " + reply.getInt(8) + ", expected " + id);
        }
        ops++;
        return length;
    }

    private static SocketChannel connect(InetSocketAddress to) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(to);
        return channel;
    }

    /** Setup only: sends {@code frame} and fails unless the reply says ok: 1. */
    private void roundTrip(byte[] frame) throws IOException {
        request.clear();
        request.put(frame).flip();
        int length = forward();
        byte[] bytes = new byte[length];
        reply.get(0, bytes);
        if (!WireFrames.isOk(bytes, length) || length < HEADER) {
            throw new IOException(target + " did not answer ok to a " + op + " (or hello)");
        }
    }

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    private long sluiceAllocated() {
        long sum = 0;
        for (long bytes : threads().getThreadAllocatedBytes(sluiceThreads)) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        for (long id : ManagementFactory.getThreadMXBean().getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    /** Threads started since {@code before}: Sluice's (its event loops started by the first connection). */
    private static long[] newThreads(Set<Long> before) {
        return java.util.Arrays.stream(ManagementFactory.getThreadMXBean().getAllThreadIds())
                .filter(id -> !before.contains(id)).toArray();
    }
}
