package dev.sluice.server.testing;

import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection to a simulated member: applies the member's delay and failpoint, answers hello (awaitable
 * and exhaust-streamed), rejects what a member in its state rejects, and forwards the rest to the shared store.
 * Everything runs on the connection's event loop.
 */
final class MemberConnection extends ChannelInboundHandlerAdapter {
    private static final AtomicInteger REPLY_IDS = new AtomicInteger();
    private static final int UNSUPPORTED_OP_QUERY_COMMAND = 352;

    private final SimulatedMember member;
    private final int connectionId;
    private String appName;
    private BackendLink link;

    MemberConnection(SimulatedMember member, int connectionId) {
        this.member = member;
        this.connectionId = connectionId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        MemberRequest request;
        try {
            int opCode = frame.getIntLE(frame.readerIndex() + 12);
            if (opCode == OpCode.OP_MSG.code()) {
                request = MemberRequest.of(OpMsg.parse(frame));
            } else if (opCode == OpCode.OP_QUERY.code()) {
                request = MemberRequest.of(OpQuery.parse(frame));
            } else {
                ctx.close();
                return;
            }
        } catch (RuntimeException e) {
            ctx.close();
            return;
        } finally {
            frame.release();
        }
        member.count(request.name());
        long delay = member.delayMS();
        if (delay > 0) {
            ctx.executor().schedule(() -> failOrRun(ctx, request), delay, TimeUnit.MILLISECONDS);
        } else {
            failOrRun(ctx, request);
        }
    }

    private void failOrRun(ChannelHandlerContext ctx, MemberRequest request) {
        if (request.name() == null) {
            send(ctx, request, error(59, "no such command: ''", request));
            return;
        }
        CommandKind kind = CommandKind.of(request.name(), request.command());
        if (kind == CommandKind.HANDSHAKE && appName == null) {
            appName = request.applicationName();
        }
        FailCommand fail = member.failPoint().take(request.name(), appName);
        if (fail == null) {
            run(ctx, request, kind, null);
            return;
        }
        Runnable apply = () -> {
            if (fail.closeConnection()) {
                ctx.close();
            } else if (fail.errorCode() != null) {
                send(ctx, request, gossip(MongodErrors.error(fail.errorCode(),
                        "Failing command via 'failCommand' failpoint", fail.errorLabels(), request.retryableWrite(),
                        member.topologyVersion()), false));
            } else {
                run(ctx, request, kind, fail.writeConcernError());
            }
        };
        if (fail.blockTimeMS() > 0) {
            ctx.executor().schedule(apply, fail.blockTimeMS(), TimeUnit.MILLISECONDS);
        } else {
            apply.run();
        }
    }

    private void run(ChannelHandlerContext ctx, MemberRequest request, CommandKind kind, BsonDocument writeConcernError) {
        if (request.legacy() && kind != CommandKind.HANDSHAKE) {
            send(ctx, request, error(UNSUPPORTED_OP_QUERY_COMMAND, "Unsupported OP_QUERY command: " + request.name()
                    + ". The client driver may require an upgrade. For more details see "
                    + "https://dochub.mongodb.org/core/legacy-opcode-removal", request));
            return;
        }
        switch (kind) {
            case HANDSHAKE -> hello(ctx, request);
            case FAIL_POINT -> configureFailPoint(ctx, request);
            case TRANSACTION -> send(ctx, request, error(20, "the simulated replica set (SimulatedReplicaSet) does not "
                    + "support multi-document transactions: use a real replica set for " + request.name(), request));
            default -> {
                BsonDocument rejection = rejection(kind, request);
                if (rejection != null) {
                    if (request.moreToCome()) {
                        ctx.close(); // mongod closes the connection of an unacknowledged write it cannot take
                    } else {
                        send(ctx, request, gossip(rejection, false));
                    }
                    return;
                }
                forward(ctx, request, kind, writeConcernError);
            }
        }
    }

    /** The error a member in its state returns for this command, or null when it serves it. */
    private BsonDocument rejection(CommandKind kind, MemberRequest request) {
        MemberState state = member.state();
        TopologyVersion tv = member.topologyVersion();
        if (kind == CommandKind.WRITE && state != MemberState.PRIMARY) {
            return MongodErrors.notWritablePrimary(request.retryableWrite(), tv);
        }
        if (kind == CommandKind.READ && state == MemberState.SECONDARY && !request.secondaryOk()) {
            return MongodErrors.notPrimaryNoSecondaryOk(tv);
        }
        if (kind == CommandKind.READ && (state == MemberState.ARBITER || state == MemberState.REMOVED)) {
            return MongodErrors.notPrimaryOrSecondary(tv);
        }
        return null;
    }

    private void forward(ChannelHandlerContext ctx, MemberRequest request, CommandKind kind,
            BsonDocument writeConcernError) {
        SimulatedReplicaSet set = member.set();
        CompletableFuture<BsonDocument> reply;
        BsonValue sessionId = request.sessionId();
        if (kind == CommandKind.WRITE && request.retryableWrite() && sessionId != null) {
            reply = set.retryableWrites().run(sessionId, request.txnNumber(), () -> sendToStore(ctx, request));
            if (member.takeLostWriteReply()) {
                ctx.close(); // the write is at the store; its reply is lost with the connection
                return;
            }
        } else {
            reply = sendToStore(ctx, request);
        }
        reply.whenComplete((body, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                ctx.close();
                return;
            }
            BsonDocument out = copy(body);
            if (writeConcernError != null && RetryableWrites.isOk(out)) {
                addWriteConcernError(out, writeConcernError, request);
            }
            send(ctx, request, gossip(out, kind == CommandKind.WRITE));
        }));
    }

    private CompletableFuture<BsonDocument> sendToStore(ChannelHandlerContext ctx, MemberRequest request) {
        if (link == null) {
            link = new BackendLink(ctx.channel().eventLoop(), member.set().storeAddress());
        }
        CompletableFuture<BsonDocument> reply = link.send(request.forwardedBody(), request.sequences());
        if (!ctx.channel().isActive()) {
            link.closeWhenIdle(); // a command that ran after its connection closed (a delay, a blocked failpoint)
        }
        return reply;
    }

    /** As mongod: the writeConcernError's labels (or those mongod adds for its code) go to the top level. */
    private static void addWriteConcernError(BsonDocument reply, BsonDocument writeConcernError, MemberRequest request) {
        BsonDocument wce = writeConcernError.clone();
        BsonValue labels = wce.remove("errorLabels");
        if (labels == null && request.retryableWrite() && wce.isNumber("code")
                && MongodErrors.isRetryable(wce.getNumber("code").intValue())) {
            labels = new BsonArray(List.of(new BsonString(MongodErrors.RETRYABLE_WRITE_ERROR)));
        }
        reply.append("writeConcernError", wce);
        if (labels != null && labels.isArray() && !labels.asArray().isEmpty()) {
            reply.append("errorLabels", labels);
        }
    }

    private void configureFailPoint(ChannelHandlerContext ctx, MemberRequest request) {
        BsonValue name = request.command().get("configureFailPoint");
        if (name != null && name.isString() && name.asString().getValue().equals(LostWriteReplies.FAIL_POINT)) {
            try {
                member.lostWriteReplies(LostWriteReplies.timesFromCommand(request.command()));
            } catch (RuntimeException e) {
                send(ctx, request, error(2, "configureFailPoint " + LostWriteReplies.FAIL_POINT + ": "
                        + e.getMessage(), request));
                return;
            }
            send(ctx, request, gossip(new BsonDocument("count", new BsonInt32(0)).append("ok", new BsonDouble(1)),
                    false));
            return;
        }
        if (name == null || !name.isString() || !name.asString().getValue().equals("failCommand")) {
            send(ctx, request, error(2, "configureFailPoint: " + name + " (expected: \"failCommand\" or \""
                    + LostWriteReplies.FAIL_POINT + "\", the failpoints the simulated replica set has)", request));
            return;
        }
        try {
            member.failPoint().set(FailCommand.fromCommand(request.command()));
        } catch (RuntimeException e) {
            send(ctx, request, error(2, "configureFailPoint failCommand: " + e.getMessage(), request));
            return;
        }
        send(ctx, request, gossip(new BsonDocument("count", new BsonInt32(0)).append("ok", new BsonDouble(1)), false));
    }

    // ---- hello: at once, or awaitable (topologyVersion + maxAwaitTimeMS), streamed when exhaustAllowed ----

    private void hello(ChannelHandlerContext ctx, MemberRequest request) {
        TopologyVersion known = TopologyVersion.parse(request.command().get("topologyVersion"));
        BsonValue maxAwait = request.command().get("maxAwaitTimeMS");
        if (known == null || maxAwait == null || !maxAwait.isNumber()) {
            send(ctx, request, helloReply(request));
            return;
        }
        awaitHello(ctx, request, known, Math.max(0, maxAwait.asNumber().longValue()), request.requestId());
    }

    /**
     * Answers when this member's topologyVersion is newer than {@code known}, or after {@code maxAwaitMS}; with
     * exhaustAllowed the reply has moreToCome and the next one follows the same way, responding to this reply.
     */
    private void awaitHello(ChannelHandlerContext ctx, MemberRequest request, TopologyVersion known, long maxAwaitMS,
            int responseTo) {
        CompletableFuture<Void> changed = member.changeAfter(known);
        if (changed.isDone()) {
            answerHello(ctx, request, maxAwaitMS, responseTo);
            return;
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        var timer = ctx.executor().schedule(() -> answered.complete(null), maxAwaitMS, TimeUnit.MILLISECONDS);
        changed.thenRun(() -> answered.complete(null));
        answered.thenRun(() -> ctx.executor().execute(() -> {
            timer.cancel(false);
            answerHello(ctx, request, maxAwaitMS, responseTo);
        }));
    }

    private void answerHello(ChannelHandlerContext ctx, MemberRequest request, long maxAwaitMS, int responseTo) {
        if (!ctx.channel().isActive()) {
            return;
        }
        BsonDocument reply = helloReply(request);
        boolean stream = request.exhaustAllowed();
        int replyId = REPLY_IDS.incrementAndGet();
        ctx.writeAndFlush(request.reply(ctx.alloc(), replyId, responseTo, reply, stream));
        if (stream) {
            awaitHello(ctx, request, TopologyVersion.parse(reply.get("topologyVersion")), maxAwaitMS, replyId);
        }
    }

    private BsonDocument helloReply(MemberRequest request) {
        BsonValue helloOk = request.command().get("helloOk");
        return member.hello(request.name(), helloOk != null && helloOk.isBoolean() && helloOk.asBoolean().getValue(),
                connectionId);
    }

    // ---- replies ----

    private BsonDocument error(int code, String errmsg, MemberRequest request) {
        return gossip(MongodErrors.error(code, errmsg, null, request.retryableWrite(), member.topologyVersion()), false);
    }

    /** Adds {@code $clusterTime} / {@code operationTime}, as a member does to its replies (a write ticks the clock). */
    private BsonDocument gossip(BsonDocument reply, boolean write) {
        if (member.state() != MemberState.REMOVED) {
            ClusterClock clock = member.set().clusterClock();
            ClusterClock.gossip(reply, write ? clock.tick() : clock.now());
        }
        return reply;
    }

    private static void send(ChannelHandlerContext ctx, MemberRequest request, BsonDocument body) {
        if (request.moreToCome()) {
            return;
        }
        ctx.writeAndFlush(request.reply(ctx.alloc(), REPLY_IDS.incrementAndGet(), request.requestId(), body, false));
    }

    private static BsonDocument copy(BsonDocument body) {
        BsonDocument out = new BsonDocument();
        for (var entry : body.entrySet()) {
            out.append(entry.getKey(), entry.getValue());
        }
        return out;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (link != null) {
            link.closeWhenIdle();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
