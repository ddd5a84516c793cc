package dev.sluice.server.route;

import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a client connection goes away or is killed: ends the work it left upstream, fire-and-forget
 * (failures are logged at debug, never surfaced to anyone). Its operation in flight is let to
 * complete unseen, so its backend connection goes back to the pool (see {@link InFlight#cancel}),
 * and upstream is asked to stop it ({@code killSessions} for its lsid); then the cursors it owns
 * are killed and its open transactions aborted.
 */
public final class OwnerCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerCleanup.class);

    private final Router router;
    private final ByteBufAllocator alloc;

    public OwnerCleanup(Router router, ByteBufAllocator alloc) {
        this.router = router;
        this.alloc = alloc;
    }

    /**
     * The client {@code owner} went away with {@code inFlight} running. Its lsid is killed upstream
     * (as mongod stops the work of a client that disconnects; the driver discards a session whose
     * connection failed, so no other operation uses it); only the session of the operation in flight
     * is killed, never others the client used before: drivers pool sessions across connections, so
     * those may be in use elsewhere now. Unacknowledged requests are left to complete. Once the
     * operation ends, what its late reply left (a cursor) is released too.
     */
    public void abandon(Object owner, String ownerName, InFlight inFlight) {
        String host = inFlight.host();
        if (!inFlight.cancel()) {
            return;
        }
        BsonDocument lsid = inFlight.lsid();
        if (lsid != null && host != null) {
            BsonDocument kill = new BsonDocument("killSessions", new BsonArray(List.of(lsid)))
                    .append("$db", new BsonString("admin"));
            LOG.debug("[route] {} went away mid-operation: killing session {} on {}", ownerName, lsid.toJson(), host);
            send(host, kill, "killSessions", as(owner));
        }
        inFlight.whenEnded(() -> release(owner, ownerName));
    }

    /** Releases everything {@code owner} holds upstream. */
    public void release(Object owner, String ownerName) {
        Object as = as(owner);
        List<CursorTable.Cursor> cursors = router.cursors().removeOwnedBy(owner);
        Map<String, BsonArray> byNamespace = new LinkedHashMap<>();
        Map<String, String> hostOf = new LinkedHashMap<>();
        for (CursorTable.Cursor c : cursors) {
            if (c.namespace() == null || c.namespace().indexOf('.') < 0) {
                continue;
            }
            // cursors pinned to different backend connections (load-balanced upstream) are killed one connection each
            String key = c.host() + "|" + router.connectionPins().connectionOf(c.id()) + "|" + c.namespace();
            byNamespace.computeIfAbsent(key, k -> new BsonArray()).add(new BsonInt64(c.id()));
            hostOf.put(key, c.host());
        }
        for (Map.Entry<String, BsonArray> e : byNamespace.entrySet()) {
            String ns = e.getKey().substring(e.getKey().indexOf('|', e.getKey().indexOf('|') + 1) + 1);
            int dot = ns.indexOf('.');
            BsonDocument kill = new BsonDocument("killCursors", new BsonString(ns.substring(dot + 1)))
                    .append("cursors", e.getValue())
                    .append("$db", new BsonString(ns.substring(0, dot)));
            LOG.debug("[route] {} went away: killing cursors {} on {}", ownerName, e.getValue(), hostOf.get(e.getKey()));
            send(hostOf.get(e.getKey()), kill, "killCursors", as);
        }
        for (TransactionTable.Transaction t : router.transactions().removeOwnedBy(owner)) {
            BsonDocument abort = new BsonDocument("abortTransaction", new BsonInt32(1))
                    .append("lsid", t.lsid())
                    .append("txnNumber", new BsonInt64(t.txnNumber()))
                    .append("autocommit", BsonBoolean.FALSE)
                    .append("$db", new BsonString("admin"));
            LOG.debug("[route] {} went away: aborting transaction {} on {}", ownerName, t.txnNumber(), t.host());
            send(t.host(), abort, "abortTransaction", as);
        }
    }

    /**
     * Who cleans up: with userSource: cluster, the client's own user (its cursors and sessions are its own in the
     * cluster's eyes); else Sluice's service identity.
     */
    private Object as(Object owner) {
        dev.sluice.server.upstream.UpstreamLogin login = dev.sluice.server.upstream.UpstreamLogin.of(owner);
        if (login == null || login.anonymous()) {
            return this;
        }
        return (dev.sluice.server.upstream.UpstreamLogin.Holder) () -> login;
    }

    /** Sends {@code command} (which carries its {@code $db}) to {@code host}; {@code name} is for the log. */
    private void send(String host, BsonDocument command, String name, Object as) {
        ByteBuf frame = OpMsg.encode(alloc, BackendConnection.nextRequestId(), 0, 0, command);
        router.forwardTo(host, new ForwardRequest(frame, dev.sluice.server.wire.CommandBody.of(command), false, as, null,
                CommandFacts.of(command)), new ForwardCallback() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                if (LOG.isDebugEnabled() && !ReplyInspector.read(reply).ok()) {
                    LOG.debug("[route] cleanup {} refused upstream (ignored)", name);
                }
                reply.release();
            }

            @Override
            public void onFailure(UpstreamException cause) {
                LOG.debug("[route] cleanup {} failed: {}", name, cause.getMessage());
            }

            @Override
            public void onSent() {
            }
        });
    }
}
