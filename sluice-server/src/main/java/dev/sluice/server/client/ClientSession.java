package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.route.CommandFacts;
import dev.sluice.server.route.ForwardCallback;
import dev.sluice.server.route.ForwardRequest;
import dev.sluice.server.route.InFlight;
import dev.sluice.server.security.auth.AuthState;
import dev.sluice.server.security.auth.Authenticator;
import dev.sluice.server.security.auth.CommandGate;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.ClientCompression;
import dev.sluice.server.wire.CommandBody;
import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import dev.sluice.server.wire.WireProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Set;

/**
 * One client connection on the mongodb connector. Requests are handled one at a time, in order:
 * the handshake and admin commands locally, everything else forwarded through the router. All
 * state lives on the channel's event loop; callbacks from other threads hop back onto it.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter
        implements ConnectionEntry.Killer, dev.sluice.server.upstream.UpstreamLogin.Holder,
        dev.sluice.server.wire.ClientCompression.Traffic {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    static final String CONNECTOR = "mongodb";
    private static final int MAX_QUEUED_FRAMES = 32;

    private final SessionServices services;
    private final Runnable onClose;
    /** Requests pipelined behind the one in flight; allocated only when a client pipelines. */
    private ArrayDeque<ByteBuf> queued;
    private ChannelHandlerContext ctx;
    private ConnectionEntry entry;
    /** The requestId of the last reply Sluice wrote itself (forwarded replies keep the upstream's). */
    private int replyIds;
    /** Its client sent a compressed request: the compression handler is in the pipeline and counts the bytes. */
    private boolean compressing;
    private HandshakeState handshake;
    private boolean busy;
    private boolean closed;
    private InFlight inFlight;
    private AwaitableHello awaitingHello;
    /** Registered with the hello responder while an awaitable hello waits: answers it early on a topology change. */
    private Runnable helloWake;
    /** The topologyVersion of the last hello reply sent (what an exhaust stream's client now knows). */
    private org.bson.BsonValue sentTopologyVersion;
    private boolean inTransaction;
    private AuthState auth;
    /** userSource: cluster: who this client's backend connections log in as, once it authenticated. */
    private volatile dev.sluice.server.upstream.UpstreamLogin login;
    private BsonDocument helloExtras;
    /** The loginTimeoutMS check, cancelled by the handshake: an idle client holds no timer. */
    private io.netty.util.concurrent.ScheduledFuture<?> loginTimer;

    /** What this connection's connector presents itself as (router, or load-balanced mongos). */
    private final ClientFace face;

    public ClientSession(SessionServices services, Runnable onClose) {
        this(services, onClose, ClientFace.router(null));
    }

    public ClientSession(SessionServices services, Runnable onClose, ClientFace face) {
        this.services = services;
        this.onClose = onClose;
        this.face = face;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.handshake = HandshakeState.start(services.compressors());
        this.entry = services.registry().register(face.connector(), ctx.channel().localAddress(),
                ctx.channel().remoteAddress(), this);
        LOG.debug("[client {}] accepted from {}", entry.connectionId(), entry.clientAddress());
        if (services.loginTimeoutMS() > 0) {
            loginTimer = ctx.executor().schedule(this::loginDue, services.loginTimeoutMS(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    /** Counts a frame in, as on the socket, on this connection's registry entry (once registered). */
    @Override
    public void bytesIn(int bytes) {
        if (entry != null) {
            entry.addBytesIn(bytes);
        }
    }

    /** Counts a frame out, as on the socket (compressed ones as sent). */
    @Override
    public void bytesOut(int bytes) {
        if (entry != null) {
            entry.addBytesOut(bytes);
        }
    }

    public ConnectionEntry entry() {
        return entry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closed) {
            frame.release();
            return;
        }
        if (!compressing && !isCompressed(frame)) {
            bytesIn(frame.readableBytes()); // a compressed one is counted by the compression handler
        }
        if (busy) {
            if (queued == null) {
                queued = new ArrayDeque<>(4);
            }
            queued.add(frame);
            ctx.channel().config().setAutoRead(false);
            if (queued.size() > MAX_QUEUED_FRAMES) {
                protocolError(WireProtocolException.fatal("more than " + MAX_QUEUED_FRAMES
                        + " requests pipelined on one connection"), 0);
            }
            return;
        }
        handle(frame);
    }

    private static boolean isCompressed(ByteBuf frame) {
        return frame.readableBytes() >= MessageHeader.LENGTH && MessageHeader.opCodeOf(frame) == OpCode.OP_COMPRESSED.code();
    }

    /**
     * A compressed request that did not come through the compression handler (the client's first, or one queued
     * behind a request before the handler was there): puts the handler between the frame decoder and this session
     * if it is not there yet (an idle client that never compresses holds none), and passes the frame through it,
     * which decodes it and hands the plain request back to {@link #channelRead}.
     */
    private void decompress(ByteBuf frame) {
        if (!compressing) {
            compressing = true;
            ctx.pipeline().addBefore(ctx.name(), ClientPipeline.COMPRESSION,
                    new ClientCompression(services.maxMessageSizeBytes(), this));
        }
        // fired from the frame decoder's context, so that it reaches the new handler (and its errors, Netty's
        // exceptionCaught of this session, as any frame's)
        ChannelHandlerContext frames = ctx.pipeline().context(dev.sluice.server.wire.FrameDecoder.class);
        if (frames == null) { // the pipeline is being torn down
            frame.release();
            return;
        }
        frames.fireChannelRead(frame);
    }

    private void handle(ByteBuf frame) {
        if (isCompressed(frame)) { // requests through the handler come decompressed
            decompress(frame);
            return;
        }
        int requestId = MessageHeader.requestIdOf(frame);
        try {
            int opCode = MessageHeader.opCodeOf(frame);
            if (opCode == OpCode.OP_MSG.code()) {
                OpMsg msg = OpMsg.parse(frame);
                handleMsg(frame, msg);
            } else if (opCode == OpCode.OP_QUERY.code()) {
                OpQuery query = OpQuery.parse(frame);
                frame.release();
                handleQuery(query);
            } else {
                frame.release();
                OpCode known = OpCode.fromCode(opCode);
                reply(Request.msg(requestId, "?", false), ErrorReplies.error(352, "UnsupportedOpQueryCommand",
                        "Unsupported opcode " + opCode + (known == null ? "" : " (" + known + ")")
                                + ": Sluice speaks OP_MSG (and OP_QUERY for handshakes); closing the connection"), 0);
                closeAfterFlush();
            }
        } catch (WireProtocolException e) {
            if (frame.refCnt() > 0) {
                frame.release();
            }
            if (!e.isFatal()) {
                // the frame was well delimited: answer with an error and keep the connection
                reply(Request.msg(e.requestId().orElse(requestId), "?", false),
                        ErrorReplies.error(9, "FailedToParse", "invalid message: " + e.getMessage()), 0);
                return;
            }
            protocolError(e, requestId);
        }
    }

    private void handleMsg(ByteBuf frame, OpMsg msg) {
        // the body is decoded (msg.body()) only where a document is needed: a forwarded find or insert never is
        CommandFacts facts = CommandFacts.ofBody(msg.bodyBytes());
        String name = facts.name();
        String db = facts.database();
        if (db == null) {
            frame.release();
            reply(requestOf(msg, name), ErrorReplies.error(40571, "Location40571",
                    "OP_MSG requests require a $db argument"), 0);
            return;
        }
        BsonDocument oversized = msg.bodyBytes().length > RequestBounds.MAX_HANDSHAKE_BYTES // else not wrapped
                ? RequestBounds.beforeAuthentication(name, msg.body(), isHandshake(name), mustLogIn()) : null;
        if (oversized == null) {
            oversized = RequestBounds.oversized(msg);
        }
        if (oversized != null) {
            frame.release();
            if (!msg.isMoreToCome()) {
                reply(requestOf(msg, name), oversized, 0);
            }
            return;
        }
        if (HelloResponder.isHello(name)) {
            frame.release();
            hello(requestOf(msg, name), msg.body());
            return;
        }
        if (isAuthCommand(name)) {
            frame.release();
            authCommand(requestOf(msg, name), name, msg.body(), db);
            return;
        }
        // an unauthenticated client is refused whatever its sequences hold: they are not expanded for it
        BsonDocument denied = services.gate().enabled() ? denied(name,
                msg.sequences().isEmpty() || entry.subject() == null ? msg.body() : withSequences(msg.body(), msg),
                db) : null;
        if (denied != null) {
            frame.release();
            if (!msg.isMoreToCome()) {
                reply(requestOf(msg, name), denied, 0);
            }
            return;
        }
        if (services.localCommands().handles(name, msg, db)) {
            frame.release();
            local(requestOf(msg, name), msg.body(), db, msg.isMoreToCome());
            return;
        }
        dev.sluice.server.security.authz.Subject subject = entry.subject(); // null without --auth
        if (subject != null && AuthorizedCollections.COMMAND.equals(name)
                && AuthorizedCollections.narrows(msg.body(), subject.privileges(), db)) {
            frame = AuthorizedCollections.narrow(frame, msg, subject.privileges(), db, ctx.alloc());
        }
        if (!msg.isMoreToCome() && "ping".equals(name)) {
            frame.release();
            reply(requestOf(msg, name), new BsonDocument("ok", new org.bson.BsonDouble(1)), 0);
            return;
        }
        // the forwarded request is built here and only here: it is also the reply's request and the callback
        forward(new Forwarded(frame, msg.requestId(), Request.Form.MSG, msg, msg.isExhaustAllowed(),
                msg.isMoreToCome(), facts));
    }

    /** The request a reply of Sluice's own answers. */
    private static Request requestOf(OpMsg msg, String name) {
        return Request.msg(msg.requestId(), name, msg.isExhaustAllowed());
    }

    private void forward(Forwarded request) {
        busy = true;
        entry.operationStarted(request.commandName(), request.database(), services.ticker().getAsLong());
        inFlight = services.router().forward(request, request);
    }

    /**
     * One forwarded request of this client, in one object per operation: the router's input, the request its reply
     * answers, and the operation's callback (so a late callback of one operation cannot reach the next one).
     */
    private final class Forwarded extends ForwardRequest implements Request, ForwardCallback {
        private final int requestId;
        private final Form form;
        private final boolean exhaustAllowed;

        Forwarded(ByteBuf frame, int requestId, Form form, CommandBody body, boolean exhaustAllowed, boolean moreToCome,
                  CommandFacts facts) {
            super(frame, body, moreToCome, ClientSession.this, ctx.executor(), facts);
            this.requestId = requestId;
            this.form = form;
            this.exhaustAllowed = exhaustAllowed;
        }

        @Override
        public int requestId() {
            return requestId;
        }

        @Override
        public Form form() {
            return form;
        }

        @Override
        public boolean exhaustAllowed() {
            return exhaustAllowed;
        }

        @Override
        public void onReply(ByteBuf reply, boolean more) {
            if (ctx.executor().inEventLoop()) { // as onLoop, without a task object per reply
                if (closed) {
                    reply.release();
                } else {
                    forwardedReply(this, reply, more);
                }
                return;
            }
            onLoop(() -> forwardedReply(this, reply, more), reply);
        }

        @Override
        public void onFailure(UpstreamException cause) {
            onLoop(() -> {
                reply(this, ErrorReplies.upstreamFailure(cause, commandName(), body()), 0);
                finishOperation();
            }, null);
        }

        @Override
        public void onSent() {
            onLoop(ClientSession.this::finishOperation, null);
        }

        @Override
        public void onRouted(String host) {
            entry.pinnedHost(host);
            inTransaction = facts().autocommit() && !"commitTransaction".equals(commandName())
                    && !"abortTransaction".equals(commandName());
        }
    }

    private void forwardedReply(Forwarded request, ByteBuf reply, boolean moreToCome) {
        dev.sluice.server.security.authz.Subject subject = entry.subject(); // null without --auth: nothing to filter
        if (subject != null) {
            reply = authorizedListing(request, reply, subject.privileges());
        }
        if (request.form() == Request.Form.QUERY) {
            ByteBuf converted = LegacyReplies.toOpReply(reply, ctx.alloc());
            reply.release();
            writeForwarded(converted);
        } else {
            writeForwarded(reply);
        }
        if (!moreToCome) {
            finishOperation();
        }
    }

    /** listDatabases / listCollections as mongod shows them to a user who may not list them all. */
    private ByteBuf authorizedListing(Forwarded request, ByteBuf reply,
                                      dev.sluice.server.security.authz.PrivilegeSet privileges) {
        String name = request.commandName();
        if (AuthorizedDatabases.COMMAND.equals(name)) {
            return AuthorizedDatabases.filter(reply, privileges, ctx.alloc());
        }
        if (AuthorizedCollections.COMMAND.equals(name)
                && AuthorizedCollections.narrows(request.body(), privileges, request.database())) {
            return AuthorizedCollections.filterReply(reply, privileges, request.database(), ctx.alloc());
        }
        return reply;
    }

    private void handleQuery(OpQuery query) {
        Request request = Request.query(query.requestId(), query.isCommand() && query.commandName() != null ? query.commandName() : query.isCommand() ? "" : "find");
        if (!query.isCommand()) {
            reply(request, ErrorReplies.error(352, "UnsupportedOpQueryCommand", "Unsupported OP_QUERY on "
                    + query.fullCollectionName() + ": only commands ($cmd) are accepted over OP_QUERY; use OP_MSG"), 0);
            return;
        }
        int size = query.query().getByteBuffer().remaining();
        BsonDocument oversized = size > RequestBounds.MAX_HANDSHAKE_BYTES
                && query.commandDocument() instanceof RawBsonDocument raw ? RequestBounds.beforeAuthentication(
                request.commandName(), raw, isHandshake(request.commandName()), mustLogIn()) : null;
        if (oversized == null && size > RequestBounds.MAX_COMMAND_DOCUMENT_BYTES) {
            oversized = RequestBounds.tooLarge(size, "the OP_QUERY query");
        }
        if (oversized != null) {
            reply(request, oversized, 0);
            return;
        }
        BsonDocument command = query.commandDocument();
        String name = request.commandName();
        if (HelloResponder.isHello(name)) {
            hello(request, command);
            return;
        }
        if (isAuthCommand(name)) {
            authCommand(request, name, command, query.database());
            return;
        }
        BsonDocument denied = denied(name, command, query.database());
        if (denied != null) {
            reply(request, denied, 0);
            return;
        }
        if (services.localCommands().handles(name, CommandBody.of(command), query.database())) {
            local(request, command, query.database(), false);
            return;
        }
        RawBsonDocument body = LegacyReplies.opMsgBody(query);
        ByteBuf frame = LegacyReplies.toOpMsg(query, body, ctx.alloc());
        // routed as the OP_MSG it became: its $readPreference (a wrapped query's) is the operation's, its name and $db
        // the converted body's (the query's command name and database: LegacyReplies.opMsgBody)
        forward(new Forwarded(frame, request.requestId(), Request.Form.QUERY, CommandBody.of(body), false, false,
                CommandFacts.of(body)));
    }

    // --- authentication and authorization ----------------------------------------------------

    /** A hello or an authentication step: what anyone who can connect may send. */
    private static boolean isHandshake(String name) {
        return HelloResponder.isHello(name) || isAuthCommand(name);
    }

    /** Authentication is on and this client has not logged in. */
    private boolean mustLogIn() {
        return services.gate().enabled() && entry.subject() == null;
    }

    /** The commands {@link #authCommand} answers. */
    private static boolean isAuthCommand(String name) {
        return switch (name) {
            case "saslStart", "saslContinue", "logout", "authenticate", "getnonce" -> true;
            default -> false;
        };
    }

    /**
     * The authentication commands: saslStart / saslContinue (SCRAM-SHA-1, SCRAM-SHA-256), logout,
     * authenticate, getnonce ({@link #isAuthCommand}): answers {@code name}, which must be one of them.
     */
    private void authCommand(Request request, String name, BsonDocument body, String db) {
        switch (name) {
            case "saslStart", "saslContinue" -> {
                Authenticator authenticator = services.authenticator();
                if (authenticator == null) {
                    reply(request, ErrorReplies.error(18, "AuthenticationFailed", "Authentication is not enabled "
                            + "on this Sluice: connect without credentials, or start Sluice with --auth"), 0);
                    return;
                }
                if (auth == null) {
                    auth = new AuthState();
                }
                java.util.concurrent.CompletableFuture<Void> known = "saslStart".equals(name)
                        ? authenticator.prepare(body, db).toCompletableFuture()
                        : java.util.concurrent.CompletableFuture.completedFuture(null);
                if (!known.isDone()) { // a cluster user read first (userSource: cluster): the session waits
                    busy = true;
                    entry.operationStarted(name, services.ticker().getAsLong());
                    BsonDocument copy = body.clone();
                    known.whenComplete((v, e) -> onLoop(() -> {
                        Authenticator.Step step = authenticator.start(copy, db, auth, entry.clientAddress());
                        authenticated(step);
                        if (step.delayMS() > 0) {
                            replyLater(request, step.reply(), step.delayMS());
                        } else {
                            reply(request, step.reply(), 0);
                            finishOperation();
                        }
                    }, null));
                    return;
                }
                Authenticator.Step step = "saslStart".equals(name)
                        ? authenticator.start(body, db, auth, entry.clientAddress())
                        : authenticator.next(body, auth, entry.clientAddress());
                authenticated(step);
                replyLater(request, step.reply(), step.delayMS());
                return;
            }
            case "logout" -> {
                entry.subject(null);
                login = null;
                reply(request, new BsonDocument("ok", new org.bson.BsonDouble(1)), 0);
                return;
            }
            case "authenticate" -> {
                Authenticator authenticator = services.authenticator();
                if (authenticator == null) {
                    reply(request, ErrorReplies.error(18, "AuthenticationFailed", "Authentication is not enabled "
                            + "on this Sluice: connect without credentials, or start Sluice with --auth"), 0);
                    return;
                }
                // MONGODB-X509: the subject of the certificate this connection's TLS handshake verified
                Authenticator.Step step = authenticator.authenticate(body, db,
                        dev.sluice.server.security.tls.ClientCertificate.of(ctx.pipeline()), entry.clientAddress());
                authenticated(step);
                replyLater(request, step.reply(), step.delayMS());
                return;
            }
            case "getnonce" -> {
                reply(request, ErrorReplies.error(59, "CommandNotFound", "no such command: 'getnonce'"), 0);
                return;
            }
            default -> throw new IllegalArgumentException("not an authentication command: " + name);
        }
    }

    private void authenticated(Authenticator.Step step) {
        dev.sluice.server.security.authz.Subject subject = step.authenticated();
        if (subject != null) {
            login = step.login();
            entry.subject(subject);
            LOG.debug("[client {}] authenticated as {}", entry.connectionId(), subject.user());
        }
    }

    /** Replies now, or after {@code delayMS} (a throttled failure), keeping the connection's order. */
    private void replyLater(Request request, BsonDocument reply, long delayMS) {
        if (delayMS <= 0) {
            reply(request, reply, 0);
            return;
        }
        busy = true;
        ctx.executor().schedule(() -> {
            if (!closed) {
                reply(request, reply, 0);
                finishOperation();
            }
        }, delayMS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** What a first hello adds about authentication: saslSupportedMechs, speculativeAuthenticate. */
    private BsonDocument authenticationInHello(BsonDocument hello) {
        Authenticator authenticator = services.authenticator();
        BsonDocument extras = new BsonDocument();
        org.bson.BsonArray mechanisms = authenticator.supportedMechanisms(hello.get("saslSupportedMechs"));
        if (mechanisms != null) {
            extras.put("saslSupportedMechs", mechanisms);
        }
        org.bson.BsonValue speculative = hello.get("speculativeAuthenticate");
        if (speculative != null && speculative.isDocument() && speculative.asDocument().containsKey("authenticate")) {
            // MONGODB-X509 in the handshake: {authenticate: 1, mechanism: "MONGODB-X509", db: "$external"}
            BsonDocument x509 = speculative.asDocument();
            org.bson.BsonValue db = x509.get("db");
            Authenticator.Step step = authenticator.authenticateSpeculative(x509, db != null && db.isString()
                    ? db.asString().getValue() : null, dev.sluice.server.security.tls.ClientCertificate.of(ctx.pipeline()),
                    entry.clientAddress());
            if (step.authenticated() != null) {
                authenticated(step);
                BsonDocument reply = step.reply().clone();
                reply.remove("ok");
                extras.put("speculativeAuthenticate", reply);
            }
        } else if (speculative != null && speculative.isDocument() && speculative.asDocument().containsKey("saslStart")) {
            BsonDocument start = speculative.asDocument();
            org.bson.BsonValue db = start.get("db");
            if (db != null && db.isString()) {
                if (auth == null) {
                    auth = new AuthState();
                }
                Authenticator.Step step = authenticator.startSpeculative(start, db.asString().getValue(), auth, entry.clientAddress());
                if (step != null && step.reply().getNumber("ok").intValue() == 1) {
                    authenticated(step);
                    BsonDocument reply = step.reply().clone();
                    reply.remove("ok");
                    extras.put("speculativeAuthenticate", reply);
                }
            }
        }
        return extras.isEmpty() ? null : extras;
    }

    /**
     * With userSource: cluster, the client's own login (or {@link dev.sluice.server.upstream.UpstreamLogin#ANONYMOUS}
     * before it authenticated, or once its user is gone); null otherwise (Sluice's own pools).
     */
    @Override
    public dev.sluice.server.upstream.UpstreamLogin upstreamLogin() {
        Authenticator authenticator = services.authenticator();
        if (authenticator == null || !authenticator.passThrough()) {
            return null;
        }
        dev.sluice.server.upstream.UpstreamLogin mine = login;
        return mine == null || entry.subject() == null ? dev.sluice.server.upstream.UpstreamLogin.ANONYMOUS : mine;
    }

    /** Null when the command may run; else its error reply (authorization, cursor ownership). */
    private BsonDocument denied(String name, BsonDocument command, String db) {
        CommandGate gate = services.gate();
        if (!gate.enabled()) {
            return null;
        }
        BsonDocument refusal = gate.check(command, db, entry, loopbackClient());
        if (refusal != null) {
            LOG.debug("[client {}] {} refused: {}", entry.connectionId(), name, refusal.getString("errmsg").getValue());
            return refusal;
        }
        if ("getMore".equals(name) || "killCursors".equals(name)) {
            return cursorOwnership(name, command, db);
        }
        return null;
    }

    /** mongod ties cursors to the user who opened them: another user's getMore or killCursors is refused. */
    private BsonDocument cursorOwnership(String name, BsonDocument command, String db) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        org.bson.BsonValue v = command.get(name);
        if ("getMore".equals(name) && v != null && v.isNumber()) {
            ids.add(v.asNumber().longValue());
        } else if ("killCursors".equals(name) && command.get("cursors") instanceof org.bson.BsonArray array) {
            for (org.bson.BsonValue id : array) {
                if (id.isNumber()) {
                    ids.add(id.asNumber().longValue());
                }
            }
        }
        dev.sluice.server.security.authz.Subject me = entry.subject();
        for (long id : ids) {
            dev.sluice.server.route.CursorTable.Cursor cursor = services.router().cursors().find(id);
            if (cursor != null && cursor.owner() instanceof ClientSession other && other != this) {
                dev.sluice.server.security.authz.Subject theirs = other.entry().subject();
                if (me == null || theirs == null || !me.user().equals(theirs.user())) {
                    return ErrorReplies.error(13, "Unauthorized", "cursor id " + id + " was not created by the authenticated user");
                }
            }
        }
        return null;
    }

    private boolean loopbackClient() {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /**
     * The command with its OP_MSG document sequences as arrays, as authorization must see it (an update's upserts,
     * a bulkWrite's namespaces). An insert's {@code documents} and a delete's {@code deletes} are left out:
     * authorization reads neither (their namespace is the command's), and a batch of 100,000 documents would
     * otherwise become 100,000 objects per request.
     */
    private static BsonDocument withSequences(BsonDocument body, OpMsg msg) {
        BsonDocument merged = null;
        for (DocumentSequence sequence : msg.sequences()) {
            if (UNREAD_BY_AUTHORIZATION.contains(sequence.identifier())) {
                continue;
            }
            if (merged == null) {
                merged = new BsonDocument();
                merged.putAll(body);
            }
            merged.put(sequence.identifier(), new org.bson.BsonArray(new java.util.ArrayList<>(sequence.documents())));
        }
        return merged == null ? body : merged;
    }

    /** Document sequences whose contents no authorization rule reads (see {@link #withSequences}). */
    private static final Set<String> UNREAD_BY_AUTHORIZATION = Set.of("documents", "deletes");

    // --- local (admin) commands --------------------------------------------------------------

    /**
     * Runs a command Sluice answers itself off the event loop; the session is busy meanwhile (later
     * requests queue as behind a forwarded one). The reply is written back on the loop (not at all
     * for a moreToCome request), unless the connection closed in between; its after-reply action
     * runs once the reply is flushed.
     */
    private void local(Request request, BsonDocument command, String db, boolean moreToCome) {
        busy = true;
        entry.operationStarted(request.commandName(), services.ticker().getAsLong());
        services.localCommands().execute(request.commandName(), command, db, entry)
                .whenComplete((reply, failure) -> onLoop(() -> localReply(request, reply, failure, moreToCome), null));
    }

    private void localReply(Request request, LocalCommands.Reply reply, Throwable failure, boolean moreToCome) {
        if (failure != null) {
            LOG.warn("[client {}] {} failed: {}", entry.connectionId(), request.commandName(), failure.toString());
            if (!moreToCome) {
                reply(request, ErrorReplies.error(1, "InternalError",
                        request.commandName() + " failed: " + failure), 0);
            }
        } else if (moreToCome) {
            reply.afterReply().run();
        } else {
            reply(request, reply.document(), 0).addListener(f -> reply.afterReply().run());
        }
        finishOperation();
    }

    // --- handshake -------------------------------------------------------------------------

    private void hello(Request request, BsonDocument body) {
        if (!handshake.done()) {
            BsonDocument mismatch = face.refusal(body);
            if (mismatch != null) {
                LOG.info("[client {}] handshake refused: {}", entry.connectionId(), mismatch.getString("errmsg").getValue());
                reply(request, mismatch, 0);
                closeAfterFlush(); // mongos closes it too (a CloseConnectionError)
                return;
            }
            ClientMetadataCheck.Refusal refusal = ClientMetadataCheck.check(body);
            if (refusal != null) {
                LOG.info("[client {}] handshake refused: {}", entry.connectionId(), refusal.message());
                reply(request, ErrorReplies.error(refusal.code(), refusal.codeName(), refusal.message()), 0);
                return;
            }
            ClientMetadata metadata = ClientMetadata.from(body);
            services.registry().describe(entry, metadata.userAgent(), metadata.appName(), metadata.driver());
        }
        if (!handshake.done() && services.authenticator() != null) {
            helloExtras = authenticationInHello(body);
        }
        if (!handshake.done() && face.firstHelloExtras() != null) {
            helloExtras = helloExtras == null ? face.firstHelloExtras() : helloExtras.append("serviceId",
                    face.firstHelloExtras().get("serviceId"));
        }
        handshake = handshake.negotiate(body);
        if (loginTimer != null) {
            loginTimer.cancel(false);
            loginTimer = null;
        }
        AwaitableHello await = face.awaitsHello() ? AwaitableHello.of(body, request, services.hello()) : null;
        if (await == null) {
            sendHello(request, body, 0, false);
            return;
        }
        busy = true;
        awaitingHello = await;
        entry.helloWait(true, await.exhaust(), !"hello".equals(request.commandName()));
        ctx.executor().schedule(() -> helloDue(await), await.maxAwaitTimeMS(), java.util.concurrent.TimeUnit.MILLISECONDS);
        watchTopology(await, body.get("topologyVersion"));
    }

    /** A topology change answers {@code await} at once (on this loop) instead of at maxAwaitTimeMS. */
    private void watchTopology(AwaitableHello await, org.bson.BsonValue clientTopologyVersion) {
        Runnable wake = () -> onLoop(() -> helloDue(await), null);
        helloWake = wake;
        services.hello().awaitChange(clientTopologyVersion, wake);
    }

    private void stopWatchingTopology() {
        if (helloWake != null) {
            services.hello().cancelWait(helloWake);
            helloWake = null;
        }
    }

    /** PgBouncer's client_login_timeout: a connection that never completed its handshake is closed. */
    private void loginDue() {
        if (closed || handshake.done()) {
            return;
        }
        LOG.info("[client {}] closing {}: no handshake (hello) within {} ms (loginTimeoutMS)", entry.connectionId(),
                entry.clientAddress(), services.loginTimeoutMS());
        services.registry().recordLimitClose(face.connector(), "loginTimeoutMS");
        entry.closing();
        ctx.close();
    }

    private void helloDue(AwaitableHello await) {
        if (closed || awaitingHello != await) {
            return;
        }
        stopWatchingTopology();
        boolean more = await.exhaust() && !services.hello().quiescing(); // an error ends the exhaust stream
        int sentId = sendHello(await.request(), await.command(), await.responseTo(), more);
        if (more) {
            AwaitableHello next = await.next(sentId);
            awaitingHello = next;
            ctx.executor().schedule(() -> helloDue(next), next.maxAwaitTimeMS(), java.util.concurrent.TimeUnit.MILLISECONDS);
            watchTopology(next, sentTopologyVersion);
        } else {
            awaitingHello = null;
            entry.helloWait(false, false, false);
            finishOperation();
        }
    }

    private int sendHello(Request request, BsonDocument body, int responseTo, boolean moreToCome) {
        BsonDocument doc = services.hello().reply(body, request.commandName(), entry.sequence(),
                services.cluster().maxWireVersion(), handshake.compressionReply());
        if (helloExtras != null) {
            doc.putAll(helloExtras); // saslSupportedMechs, speculativeAuthenticate: first handshake only
            helloExtras = null;
        }
        // kept only for an exhaust stream's next wait: an idle client holds no topologyVersion document
        sentTopologyVersion = moreToCome ? doc.get("topologyVersion") : null;
        Request target = responseTo == 0 ? request : request.withRequestId(responseTo);
        return replyWithId(target, doc, moreToCome ? OpMsg.MORE_TO_COME : 0);
    }

    private void finishOperation() {
        busy = false;
        inFlight = null;
        if (!inTransaction) {
            entry.pinnedHost(null); // a transaction keeps its host until it ends
        }
        services.registry().operationFinished(entry, services.ticker().getAsLong());
        while (!busy && !closed && queued != null) {
            ByteBuf next = queued.poll();
            if (next == null) {
                break;
            }
            handle(next);
        }
        if ((queued == null || queued.isEmpty()) && !closed && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void onLoop(Runnable task, ByteBuf toReleaseIfClosed) {
        Runnable guarded = () -> {
            if (closed) {
                if (toReleaseIfClosed != null) {
                    toReleaseIfClosed.release();
                }
                return;
            }
            task.run();
        };
        if (ctx.executor().inEventLoop()) {
            guarded.run();
        } else {
            ctx.executor().execute(guarded);
        }
    }

    // --- replies ---------------------------------------------------------------------------

    /** Encodes and writes a reply document (an error reply, {@code ok: 0}, is counted by its code). */
    private io.netty.channel.ChannelFuture reply(Request request, BsonDocument doc, int flags) {
        return ReplyWriter.reply(ctx, services.registry(), entry.connector(), request, nextReplyId(), doc, flags,
                compressing ? null : this);
    }

    /** As {@link #reply}, returning the reply's requestId (exhaust streams answer to it). */
    private int replyWithId(Request request, BsonDocument doc, int flags) {
        int id = nextReplyId();
        ReplyWriter.reply(ctx, services.registry(), entry.connector(), request, id, doc, flags,
                compressing ? null : this);
        return id;
    }

    /** Writes a reply from upstream (counted here until the compression handler counts them). */
    private void writeForwarded(ByteBuf frame) {
        if (!compressing) {
            bytesOut(frame.readableBytes());
        }
        ReplyWriter.writeForwarded(ctx, frame);
    }

    private int nextReplyId() {
        replyIds = (replyIds + 1) & Integer.MAX_VALUE;
        return replyIds;
    }

    // --- errors and closing ------------------------------------------------------------------

    private void protocolError(WireProtocolException e, int fallbackRequestId) {
        LOG.info("[client {}] closing after a protocol error: {}", entry.connectionId(), e.getMessage());
        if (!closed && ctx.channel().isActive()) {
            reply(Request.msg(e.requestId().orElse(fallbackRequestId), "?", false),
                    ErrorReplies.error(9, "FailedToParse", "invalid message: " + e.getMessage()), 0);
        }
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** An operator's kill ({@link ConnectionEntry.Killer}; the session itself, not a lambda per connection). */
    @Override
    public void kill(String reason) {
        ctx.channel().eventLoop().execute(() -> closeKilled(reason));
    }

    @Override
    public void killIf(java.util.function.BooleanSupplier stillIdle, String reason) {
        ctx.channel().eventLoop().execute(() -> {
            if (stillIdle.getAsBoolean()) {
                closeKilled(reason);
            }
        });
    }

    private void closeKilled(String reason) {
        LOG.info("[client {}] killed: {}", entry.connectionId(), reason);
        entry.closing();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof WireProtocolException w) {
            protocolError(w, 0);
            return;
        }
        LOG.debug("[client {}] closing after error: {}", entry == null ? "?" : entry.connectionId(), c.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        awaitingHello = null;
        stopWatchingTopology();
        if (inFlight != null) {
            // the request completes unseen (its connection goes back to the pool) and its work is killed upstream
            services.cleanup().abandon(this, toString(), inFlight);
            inFlight = null;
        }
        ByteBuf f;
        while (queued != null && (f = queued.poll()) != null) {
            f.release();
        }
        if (entry != null) {
            entry.closing();
            services.cleanup().release(this, entry.connectionId());
            services.registry().unregister(entry);
            LOG.debug("[client {}] closed", entry.connectionId());
        }
        onClose.run();
        ctx.fireChannelInactive();
    }

    @Override
    public String toString() {
        return entry == null ? "client" : entry.connectionId();
    }
}
