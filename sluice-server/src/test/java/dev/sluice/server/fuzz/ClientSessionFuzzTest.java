package dev.sluice.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.pool.PoolListener;
import dev.sluice.server.client.ClientSession;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.route.Router;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpCompressed;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpReply;
import dev.sluice.server.wire.WireProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Fuzzes a whole client connection: a {@link ClientSession} behind its {@link FrameDecoder} in an
 * {@link EmbeddedChannel}, fed a fuzzer-built byte stream made of well-formed requests (hello in
 * every spelling and form, awaitable hello, the admin commands with fuzzer-built arguments, auth,
 * forwarded commands with sessions and transactions, OP_QUERY, OP_COMPRESSED with every compressor,
 * moreToCome, exhaust, checksums), raw garbage and byte flips, split at fuzzer-chosen points.
 *
 * <p>The upstream is a pool that is never started (paused), so every forwarded command fails at once
 * with an error reply, as when the upstream is down. Invariants: nothing escapes the pipeline;
 * every frame Sluice writes is a well-formed reply its own parsers accept; a connection Sluice closes
 * was told why first (an ok:0 reply) or asked for it (killConnection of itself); once closed, the
 * connection is gone from the registry and the cursors and transactions it owned are released.
 */
class ClientSessionFuzzTest {
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final String[] COMMANDS = {"hello", "isMaster", "ismaster", "ping", "listConnections",
            "killConnections", "killConnection", "dropConnections", "connPoolStats", "serverStatus", "saslStart",
            "authenticate", "find", "insert", "getMore", "killCursors", "aggregate", "commitTransaction",
            "abortTransaction", "endSessions", "buildInfo", "x"};

    private static EventLoopGroup group;
    private static ScheduledExecutorService scheduler;
    private static UpstreamCluster cluster;

    @BeforeAll
    static void pausedUpstream() {
        FuzzDefaults.regressionRunsWithoutHooks();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        // never started: its pool stays paused, so checkouts fail at once (no socket is ever opened)
        cluster = new UpstreamCluster(UpstreamSettings.fromUri("mongodb://127.0.0.1:1/?connectTimeoutMS=100", false),
                new dev.sluice.server.upstream.LoopLanes(group), NioSocketChannel.class, MAX_MESSAGE_SIZE, new PoolListener() { }, scheduler, 17);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "5m")
    void aClientConnectionSurvivesAnyStream(FuzzedDataProvider data) {
        SessionFixture fixture = new SessionFixture(cluster, MAX_MESSAGE_SIZE);
        ConnectionRegistry registry = fixture.registry();
        Router router = fixture.router();
        ClientSession session = fixture.session();
        EmbeddedChannel channel = fixture.channel();

        ByteBuf stream = Unpooled.buffer();
        List<Integer> cuts = new ArrayList<>();
        int requests = data.consumeInt(1, 6);
        boolean silentSelfKill = false;
        for (int i = 0; i < requests && data.remainingBytes() > 0; i++) {
            silentSelfKill |= appendRequest(data, stream, i + 1, session);
            if (data.consumeBoolean()) {
                cuts.add(stream.writerIndex());
            }
        }
        cuts.add(stream.writerIndex());
        List<ByteBuf> written = new ArrayList<>();
        try {
            int from = 0;
            for (int cut : cuts) {
                if (cut > from && channel.isOpen()) {
                    channel.writeInbound(stream.retainedSlice(from, cut - from));
                    channel.runPendingTasks();
                    collect(channel, written);
                }
                from = Math.max(from, cut);
            }
            channel.checkException();
            checkReplies(written, channel.isOpen() || silentSelfKill, session.entry().connectionId());
            channel.close();
            channel.runPendingTasks();
            collect(channel, written);
            if (registry.find(session.entry().connectionId()) != null) {
                throw new AssertionError("closed connection still registered: " + session.entry().connectionId());
            }
            if (router.transactions().size() != 0 || router.cursors().size() != 0) {
                throw new AssertionError("closed connection left " + router.transactions().size()
                        + " transactions and " + router.cursors().size() + " cursors behind");
            }
        } finally {
            stream.release();
            written.forEach(ByteBuf::release);
            channel.finishAndReleaseAll();
        }
    }

    private static void collect(EmbeddedChannel channel, List<ByteBuf> written) {
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            if (b.isReadable()) {
                written.add(b);
            } else {
                b.release();
            }
        }
    }

    /**
     * Every reply parses; a connection that Sluice closed was told why (its last reply is an error) or
     * killed itself (then requests already read may still be answered before the kill lands).
     */
    private static void checkReplies(List<ByteBuf> written, boolean open, String self) {
        BsonDocument last = null;
        boolean killedItself = false;
        for (ByteBuf frame : written) {
            last = replyBody(frame);
            killedItself |= killed(last, self);
        }
        if (!open) {
            boolean explained = killedItself || (last != null && okZero(last));
            if (!explained) {
                throw new AssertionError("connection closed without an error reply; last reply: "
                        + (last == null ? "none" : last.toJson()));
            }
        }
    }

    private static boolean killed(BsonDocument reply, String self) {
        BsonValue results = reply.get("results");
        if (results == null || !results.isArray()) {
            return false;
        }
        for (BsonValue r : results.asArray()) {
            if (r.isDocument() && new BsonString(self).equals(r.asDocument().get("connectionId"))
                    && new BsonString("Connection found").equals(r.asDocument().get("message"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean okZero(BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 0;
    }

    private static BsonDocument replyBody(ByteBuf frame) {
        int length = frame.getIntLE(frame.readerIndex());
        if (length != frame.readableBytes()) {
            throw new AssertionError("reply frame of " + frame.readableBytes() + " bytes announces " + length);
        }
        int opCode = frame.getIntLE(frame.readerIndex() + 12);
        try {
            if (opCode == OpCode.OP_COMPRESSED.code()) {
                ByteBuf plain = OpCompressed.decompress(frame, 48_000_000, UnpooledByteBufAllocator.DEFAULT);
                try {
                    return replyBody(plain);
                } finally {
                    plain.release();
                }
            }
            if (opCode == OpCode.OP_REPLY.code()) {
                return OpReply.parse(frame).documents().get(0);
            }
            return OpMsg.parse(frame).body();
        } catch (WireProtocolException e) {
            throw new AssertionError("Sluice wrote a reply it cannot parse itself: " + e.getMessage(), e);
        }
    }

    // --- building the stream -----------------------------------------------------------------

    /**
     * @return whether the request may kill its own connection without a reply (a moreToCome
     *         killConnection(s) naming itself: Sluice runs it and, as for any moreToCome, answers nothing)
     */
    private static boolean appendRequest(FuzzedDataProvider data, ByteBuf out, int requestId, ClientSession session) {
        int form = data.consumeInt(0, 9);
        if (form == 0) {
            out.writeBytes(data.consumeBytes(64)); // garbage
            return false;
        }
        boolean silentSelfKill = false;
        BsonDocument command = command(data, session);
        ByteBuf frame;
        if (form == 1) {
            frame = opQuery(requestId, data.consumeBoolean() ? "admin.$cmd" : FuzzBson.string(data) + ".$cmd",
                    data.consumeBoolean() ? command : new BsonDocument("$query", command)
                            .append("$readPreference", new BsonDocument("mode", new BsonString("nearest"))));
        } else {
            int flags = 0;
            if (data.consumeInt(0, 7) == 0) {
                flags |= OpMsg.MORE_TO_COME;
                silentSelfKill = command.toJson().contains("\"" + session.entry().connectionId() + "\"");
            }
            if (data.consumeBoolean()) {
                flags |= OpMsg.EXHAUST_ALLOWED;
            }
            if (data.consumeInt(0, 3) == 0) {
                flags |= OpMsg.CHECKSUM_PRESENT;
            }
            List<DocumentSequence> sequences = data.consumeInt(0, 4) == 0
                    ? List.of(DocumentSequence.of("documents", List.of(FuzzBson.document(data, 2, 3))))
                    : List.of();
            frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, requestId, 0, flags, command, sequences);
        }
        if (data.consumeInt(0, 3) == 0) {
            Compressor c = data.pickValue(Compressor.values());
            ByteBuf compressed = OpCompressed.compress(frame, c, UnpooledByteBufAllocator.DEFAULT);
            frame.release();
            frame = compressed;
        }
        if (data.consumeInt(0, 4) == 0 && frame.readableBytes() > 0) {
            int at = data.consumeInt(0, frame.readableBytes() - 1);
            frame.setByte(at, frame.getByte(at) ^ (1 << data.consumeInt(0, 7)));
        }
        out.writeBytes(frame);
        frame.release();
        return silentSelfKill;
    }

    private static BsonDocument command(FuzzedDataProvider data, ClientSession session) {
        String name = data.pickValue(COMMANDS);
        BsonValue value = switch (name) {
            case "killConnections" -> new org.bson.BsonArray(List.of(new BsonString(data.consumeBoolean()
                    ? session.entry().connectionId() : FuzzBson.string(data))));
            case "killConnection" -> new BsonString(data.consumeBoolean()
                    ? session.entry().connectionId() : FuzzBson.string(data));
            case "getMore" -> new BsonInt64(data.consumeLong(0, 3));
            default -> data.consumeBoolean() ? new BsonInt32(1) : FuzzBson.value(data, 2);
        };
        BsonDocument command = new BsonDocument(name, value);
        if (data.consumeBoolean()) {
            command.put("$db", new BsonString(data.consumeBoolean() ? "admin" : FuzzBson.string(data)));
        }
        if (data.consumeInt(0, 3) == 0) {
            command.put("lsid", new BsonDocument("id", new BsonInt32(data.consumeInt(0, 3))));
            command.put("txnNumber", new BsonInt64(data.consumeLong(0, 3)));
            command.put("autocommit", org.bson.BsonBoolean.FALSE);
            if (data.consumeBoolean()) {
                command.put("startTransaction", org.bson.BsonBoolean.TRUE);
            }
        }
        if (data.consumeInt(0, 3) == 0) {
            command.put("maxAwaitTimeMS", new BsonInt64(data.consumeLong(-1, 50)));
            command.put("topologyVersion", data.consumeBoolean() ? FuzzBson.value(data, 1)
                    : new BsonDocument("processId", new org.bson.BsonObjectId()).append("counter", new BsonInt64(0)));
        }
        if (data.consumeInt(0, 3) == 0) {
            command.put("compression", new org.bson.BsonArray(List.of(new BsonString(FuzzBson.string(data)))));
        }
        int extra = data.consumeInt(0, 3);
        for (int i = 0; i < extra; i++) {
            String key = FuzzBson.key(data);
            if (!key.isEmpty() && !command.containsKey(key)) {
                command.put(key, FuzzBson.value(data, 2));
            }
        }
        return command;
    }

    private static ByteBuf opQuery(int requestId, String fullCollectionName, BsonDocument query) {
        ByteBuffer bson = new RawBsonDocument(query, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] ns = fullCollectionName.replace("\0", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer();
        frame.writeIntLE(0).writeIntLE(requestId).writeIntLE(0).writeIntLE(OpCode.OP_QUERY.code());
        frame.writeIntLE(0).writeBytes(ns).writeByte(0).writeIntLE(0).writeIntLE(-1).writeBytes(bson);
        frame.setIntLE(0, frame.readableBytes());
        return frame;
    }
}
