package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.upstream.PoolDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The one implementation of connection management behind both the wire commands
 * ({@link AdminCommands}) and the HTTP API: list, kill, drop pools, pool statistics, the upstream topology.
 * Thread-safe; it holds no state of its own.
 */
public final class ConnectionAdmin {
    private static final Logger log = LoggerFactory.getLogger(ConnectionAdmin.class);
    private static final Runnable NOTHING = () -> { };

    private final ConnectionRegistry registry;
    private final PoolDirectory pools;
    private final LongSupplier nanoTime;
    private final AccessPolicy access;
    private static final dev.sluice.server.security.users.Audit AUDIT = new dev.sluice.server.security.users.Audit();

    /** Everyone is admin; {@code currentOpRunningMillis} measured with {@link System#nanoTime()}. */
    public ConnectionAdmin(ConnectionRegistry registry, PoolDirectory pools) {
        this(registry, pools, System::nanoTime, AccessPolicy.EVERYONE_IS_ADMIN);
    }

    /**
     * @param nanoTime the clock that {@link ConnectionEntry#operationStarted} timestamps come from
     * @param access   which connections a caller may see and kill
     */
    public ConnectionAdmin(ConnectionRegistry registry, PoolDirectory pools, LongSupplier nanoTime,
                           AccessPolicy access) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.pools = Objects.requireNonNull(pools, "pools");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.access = Objects.requireNonNull(access, "access");
    }

    /** Every connection, oldest first (in-process caller: no filtering). */
    public List<ConnectionView> list() {
        return list((ConnectionEntry) null);
    }

    /** The connections {@code caller} may see, oldest first. */
    public List<ConnectionView> list(ConnectionEntry caller) {
        long now = nanoTime.getAsLong();
        List<ConnectionEntry> entries = registry.snapshot();
        List<ConnectionView> views = new ArrayList<>(entries.size());
        RowFormat format = new RowFormat();
        for (ConnectionEntry entry : entries) {
            if (caller == null || access.canAccess(caller, entry)) {
                views.add(ConnectionView.of(entry, now, format));
            }
        }
        return views;
    }

    /** The rights of {@code caller} (null: in-process), for another Sluice of the fleet to apply. */
    public CallerScope scopeOf(ConnectionEntry caller) {
        return access.scopeOf(caller);
    }

    /** The connections a caller with {@code scope} may see, oldest first (a request from another Sluice). */
    public List<ConnectionView> list(CallerScope scope) {
        long now = nanoTime.getAsLong();
        List<ConnectionEntry> entries = registry.snapshot();
        List<ConnectionView> views = new ArrayList<>(entries.size());
        RowFormat format = new RowFormat();
        for (ConnectionEntry entry : entries) {
            if (scope.canSee(entry)) {
                views.add(ConnectionView.of(entry, now, format));
            }
        }
        return views;
    }

    /**
     * Kills the named connections on behalf of a caller of another Sluice of the fleet, with its
     * {@code scope}: one result per id, as {@link #kill(List, ConnectionEntry)}.
     *
     * @param requester who asked, for the log and the audit line ({@code user via instance})
     */
    public List<KillResult> kill(List<String> ids, CallerScope scope, String requester) {
        List<KillResult> results = new ArrayList<>(ids.size());
        Set<String> killed = new HashSet<>();
        for (String id : ids) {
            ConnectionEntry target = registry.find(id);
            if (target == null || !scope.canKill(target)) {
                results.add(KillResult.notFound(id));
                continue;
            }
            results.add(KillResult.found(id, target.username()));
            if (killed.add(id)) {
                AUDIT.record(requester, "fleet", "killConnection",
                        id + (target.username() == null ? "" : " (user " + target.username() + ")"),
                        dev.sluice.server.security.users.AuditEvent.OK);
                log.info("[admin] killing {} from {} (user {}): killed by {}", id, target.clientAddress(),
                        target.username() == null ? "not authenticated" : target.username(), requester);
                target.kill("killed by " + requester);
            }
        }
        return results;
    }

    /**
     * One page of the connections {@code caller} may see. One pass over the live registry (no copy of
     * it); only the matching entries are sorted, on one key read per entry, and only the page's rows are
     * built, so a listing of 20,000 connections costs a sort, not 20,000 rows.
     */
    public ConnectionPage page(ConnectionEntry caller, ConnectionQuery query) {
        List<Keyed> matching = new ArrayList<>();
        for (ConnectionEntry entry : registry.entries()) {
            if ((caller == null || access.canAccess(caller, entry)) && query.matches(entry)) {
                matching.add(new Keyed(query.sort().key(entry), entry));
            }
        }
        java.util.Comparator<Keyed> order = Keyed.ORDER;
        matching.sort(query.descending() ? order.reversed() : order);
        int from = Math.min(query.offset(), matching.size());
        int to = (int) Math.min((long) from + query.limit(), matching.size());
        long now = nanoTime.getAsLong();
        List<ConnectionView> rows = new ArrayList<>(to - from);
        RowFormat format = new RowFormat();
        for (int i = from; i < to; i++) {
            rows.add(ConnectionView.of(matching.get(i).entry(), now, format));
        }
        boolean more = to < matching.size();
        String cursor = more && query.sort() == ConnectionSort.CONNECTION_ID && to > from
                ? matching.get(to - 1).entry().connectionId() : null;
        return new ConnectionPage(rows, matching.size(), more ? to : -1, cursor);
    }

    /** An entry with its sort key read once; the sequence breaks ties, so the order is total and stable. */
    private record Keyed(Comparable<?> key, ConnectionEntry entry) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        static final java.util.Comparator<Keyed> ORDER = (a, b) -> {
            int c;
            if (a.key == null || b.key == null) {
                c = a.key == null ? (b.key == null ? 0 : -1) : 1;
            } else {
                c = ((Comparable) a.key).compareTo(b.key);
            }
            return c != 0 ? c : Long.compare(a.entry.sequence(), b.entry.sequence());
        };
    }

    /**
     * Kills the named connections. Returns one result per id, in the order given (an id given twice
     * gets two rows, the connection is killed once). The caller's own connection, if named, is not
     * killed here: that is left to {@link KillReport#afterReply()}, so that the reply reaches it first.
     */
    public KillReport kill(List<String> ids, ConnectionEntry caller) {
        List<KillResult> results = new ArrayList<>(ids.size());
        Set<String> killed = new HashSet<>();
        Runnable afterReply = NOTHING;
        for (String id : ids) {
            ConnectionEntry target = registry.find(id);
            if (target == null || (caller != null && !(access.canAccess(caller, target) && access.canKill(caller, target)))) {
                results.add(KillResult.notFound(id));
                continue;
            }
            results.add(KillResult.found(id, target.username()));
            if (!killed.add(id)) {
                continue;
            }
            String reason = "killed by " + (caller == null ? "an operator" : caller.connectionId());
            audit(caller, "killConnection", id + (target.username() == null ? "" : " (user " + target.username() + ")"));
            if (target == caller) {
                log.info("[admin] {} asked to kill its own connection; closing it after the reply", id);
                afterReply = () -> target.kill(reason);
            } else {
                log.info("[admin] killing {} from {} (user {}): {}", id, target.clientAddress(),
                        target.username() == null ? "not authenticated" : target.username(), reason);
                target.kill(reason);
            }
        }
        return new KillReport(results, afterReply);
    }

    /**
     * Drops the upstream pools of the given hosts. Elements that are not "host:port" with a valid
     * port are ignored, as mongod's dropConnections does; a host without a pool is a no-op.
     *
     * @param comment anything the operator attached; logged with the command
     * @return the hosts whose pool was dropped
     */
    public List<String> drop(List<String> hostAndPort, Object comment) {
        return drop(hostAndPort, comment, null);
    }

    /** As {@link #drop(List, Object)}, on behalf of {@code caller} (for the audit log; null: in-process). */
    public List<String> drop(List<String> hostAndPort, Object comment, ConnectionEntry caller) {
        Set<String> valid = new LinkedHashSet<>();
        for (String text : hostAndPort) {
            HostAndPort.parse(text).ifPresent(valid::add);
        }
        List<String> dropped = new ArrayList<>(valid.size());
        for (String host : valid) {
            if (pools.drop(host)) {
                dropped.add(host);
            }
        }
        log.info("[admin] dropConnections hostAndPort={} comment={}: dropped pools of {}; no pool for {}",
                head(hostAndPort), comment, dropped, head(minus(valid, dropped)));
        audit(caller, "dropConnections", String.valueOf(head(new ArrayList<>(valid))));
        return dropped;
    }

    /** One audit line for an action done on behalf of {@code caller} (null: in-process). */
    private static void audit(ConnectionEntry caller, String action, String target) {
        var subject = caller == null ? null : caller.subject();
        AUDIT.record(dev.sluice.server.security.users.AuditEvent.who(subject, subject != null),
                caller == null ? "in-process" : caller.clientAddress(), action, target,
                dev.sluice.server.security.users.AuditEvent.OK);
    }

    /** The upstream pools, as connPoolStats shows them. */
    public PoolSummary pools() {
        return PoolSummary.of(pools.statistics(), pools.userPools());
    }

    /** The upstream topology and each server's pool (GET /api/topology, serverStatus). */
    public TopologyReport topology() {
        return TopologyReport.of(pools.topology(), pools());
    }

    /** The upstream topology description itself (connPoolStats' replicaSets). */
    public dev.sluice.server.topology.TopologyDescription topologyDescription() {
        return pools.topology();
    }

    private static List<String> minus(Set<String> all, List<String> some) {
        Set<String> removed = new HashSet<>(some);
        List<String> rest = new ArrayList<>(all.size());
        for (String s : all) {
            if (!removed.contains(s)) {
                rest.add(s);
            }
        }
        return rest;
    }

    /** A list for the log: the first {@value #LOGGED_ITEMS} items, then how many more. */
    private static String head(List<String> items) {
        if (items.size() <= LOGGED_ITEMS) {
            return items.toString();
        }
        return items.subList(0, LOGGED_ITEMS) + " and " + (items.size() - LOGGED_ITEMS) + " more";
    }

    private static final int LOGGED_ITEMS = 10;
}
