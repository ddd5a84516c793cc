package dev.sluice.server.security.cluster;

import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The cluster's own users ({@code security.userSource: cluster}), read by Sluice's service user (the upstream URI's
 * credentials) with {@code usersInfo: {user, db}, showCredentials: true, showPrivileges: true} when a client first
 * logs in as them, and cached for {@code security.clusterUserCacheTTLSeconds}; at most
 * {@code security.clusterUserCacheSize} users are cached (the least recently read goes first).
 *
 * <p>An entry older than the TTL is read again: before a new login (which waits for it), on a command (served from
 * the cache meanwhile), and by {@link #sweep} for users nobody uses now. When a user is gone, or its keys changed
 * (a new password), the {@link RevocationListener} hears it (Sluice closes the user's backend pools), and from then
 * on its sessions are refused and new logins fail. Lookups are answered from memory, so they may run on an event
 * loop. Thread-safe. No key reaches a log.
 */
public final class ClusterUserDirectory implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterUserDirectory.class);

    /** Runs a command upstream as Sluice's service user (InternalCommands). */
    public interface Upstream {
        CompletionStage<BsonDocument> run(String db, BsonDocument command);
    }

    /** Told when a cached user is dropped or its keys change in the cluster. */
    public interface RevocationListener {
        void revoked(UserName user, String why);
    }

    /**
     * A cached answer: the user, or null when the cluster has no such user; {@code used} says whether a login or a
     * command looked it up since it was read (only those are read again in the background).
     */
    private record Entry(ClusterUser user, long readAtNanos, java.util.concurrent.atomic.AtomicBoolean used) {
    }

    private final Upstream upstream;
    private final RevocationListener revocations;
    private final long ttlNanos;
    private final int maxUsers;
    private final LongSupplier nanoTime;
    private final Map<UserName, Entry> cache = new ConcurrentHashMap<>();
    private final Map<UserName, CompletableFuture<Void>> reading = new ConcurrentHashMap<>();

    /**
     * @param ttlSeconds security.clusterUserCacheTTLSeconds
     * @param maxUsers   security.clusterUserCacheSize
     * @param nanoTime   the clock of the TTL
     */
    public ClusterUserDirectory(Upstream upstream, RevocationListener revocations, long ttlSeconds, int maxUsers,
                                LongSupplier nanoTime) {
        this.upstream = upstream;
        this.revocations = revocations;
        this.ttlNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(ttlSeconds);
        this.maxUsers = maxUsers;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<ScramCredentials> credentials(UserName user, ScramMechanism mechanism) {
        ClusterUser found = current(user);
        return found == null ? Optional.empty() : Optional.ofNullable(found.credentials().get(mechanism));
    }

    @Override
    public List<ScramMechanism> mechanisms(UserName user) {
        ClusterUser found = current(user);
        if (found == null) {
            return List.of();
        }
        List<ScramMechanism> out = new ArrayList<>(2);
        for (ScramMechanism m : ScramMechanism.values()) {
            if (found.credentials().containsKey(m)) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public Optional<Subject> subject(UserName user) {
        ClusterUser found = current(user);
        return found == null ? Optional.empty() : Optional.of(found.subject());
    }

    /** The cluster has users (and no localhost exception through Sluice). */
    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean loaded(UserName user) {
        Entry e = cache.get(user);
        return e != null && !stale(e);
    }

    @Override
    public CompletionStage<Void> load(UserName user) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = reading.putIfAbsent(user, mine);
        if (running != null) {
            return running;
        }
        BsonDocument command = new BsonDocument("usersInfo", new BsonDocument("user", new BsonString(user.user()))
                .append("db", new BsonString(user.db())))
                .append("showCredentials", BsonBoolean.TRUE)
                .append("showPrivileges", BsonBoolean.TRUE);
        CompletionStage<BsonDocument> reply;
        try {
            reply = upstream.run("admin", command);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((document, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    LOG.warn("[security] cannot read user {} from the cluster ({}): it cannot log in until it is read",
                            user, cause.getMessage());
                } else {
                    store(user, document);
                }
            } catch (RuntimeException e) {
                LOG.warn("[security] cannot read user {} from the cluster's usersInfo reply: {}", user, e.getMessage());
            } finally {
                reading.remove(user, mine);
                mine.complete(null);
            }
        });
        return mine;
    }

    /**
     * Reads again every cached user older than the TTL that was used since it was read (so that a user dropped in
     * the cluster has its pools closed even when its sessions pause), and forgets users the cluster did not have.
     * Users nobody used are not asked for again until they are (then before the answer). Call it every TTL.
     */
    public void sweep() {
        for (Map.Entry<UserName, Entry> e : cache.entrySet()) {
            Entry entry = e.getValue();
            if (stale(entry)) {
                if (entry.user() == null) {
                    cache.remove(e.getKey(), entry);
                } else if (entry.used().get()) {
                    load(e.getKey());
                }
            }
        }
    }

    /** Users cached now (found or not). */
    public int size() {
        return cache.size();
    }

    private void store(UserName user, BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        if (ok == null || !ok.isNumber() || ok.asNumber().doubleValue() != 1.0) {
            LOG.warn("[security] the cluster refused usersInfo for {} to Sluice's service user: {} (code {}); give the "
                    + "service user the viewUser action on the user's database", user,
                    reply.getString("errmsg", new BsonString("no errmsg")).getValue(),
                    reply.get("code") == null ? "?" : reply.get("code").toString());
            return;
        }
        BsonValue users = reply.get("users");
        ClusterUser found = null;
        if (users instanceof BsonArray array) {
            for (BsonValue u : array) {
                if (u.isDocument()) {
                    ClusterUser candidate = ClusterUser.fromUsersInfo(u.asDocument());
                    if (candidate.name().equals(user)) {
                        found = candidate;
                    }
                }
            }
        }
        Entry previous = cache.put(user, new Entry(found, nanoTime.getAsLong(),
                new java.util.concurrent.atomic.AtomicBoolean()));
        if (previous != null && previous.user() != null) {
            if (found == null) {
                revocations.revoked(user, "the user no longer exists in the cluster");
            } else if (previous.user().keysDifferFrom(found)) {
                revocations.revoked(user, "the user's credentials changed in the cluster");
            }
        }
        evictOverflow(user);
    }

    /** Keeps at most maxUsers entries: the least recently read go (never {@code kept}). */
    private void evictOverflow(UserName kept) {
        while (cache.size() > maxUsers) {
            UserName oldest = null;
            long oldestAt = 0;
            for (Map.Entry<UserName, Entry> e : cache.entrySet()) {
                if (!e.getKey().equals(kept) && (oldest == null || e.getValue().readAtNanos() - oldestAt < 0)) {
                    oldest = e.getKey();
                    oldestAt = e.getValue().readAtNanos();
                }
            }
            if (oldest == null) {
                return;
            }
            cache.remove(oldest);
        }
    }

    /** The cached user (refreshed in the background when older than the TTL), or null. */
    private ClusterUser current(UserName user) {
        Entry e = cache.get(user);
        if (e == null) {
            return null;
        }
        if (!e.used().get()) {
            e.used().set(true);
        }
        if (stale(e)) {
            load(user);
        }
        return e.user();
    }

    private boolean stale(Entry e) {
        return nanoTime.getAsLong() - e.readAtNanos() >= ttlNanos;
    }
}
