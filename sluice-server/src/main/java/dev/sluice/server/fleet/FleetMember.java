package dev.sluice.server.fleet;

import dev.sluice.server.config.FleetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This Sluice's membership of the fleet: at each heartbeat it writes its own document in the
 * cluster, re-reads the live instances and, under a connection budget, resizes its pools to its share
 * ({@link BudgetShare}). Runs on its own thread ({@code sluice-fleet}): its calls to the cluster block
 * for up to fleet.peerTimeoutMS and must delay nothing else. A failed heartbeat is logged once per
 * change of cause and retried at the next interval; the pools keep their last size.
 */
public final class FleetMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetMember.class);

    private volatile FleetSettings settings;
    private final FleetStore store;
    private final String id;
    private final String mongodb;
    private final String http;
    private final String version;
    private final LocalInstance local;
    private final LongSupplier wallMillis;
    private final long startedAt;
    private final ScheduledExecutorService thread;

    private volatile List<InstanceRecord> live = List.of();
    private volatile InstanceRecord self;
    private volatile PeerSignature signature;
    private volatile String lastError;
    private volatile int applied = -1;
    private volatile boolean budgetReady = true;
    private volatile int share = -1;
    private volatile long lastWrittenMillis;
    private volatile boolean closing;

    public FleetMember(FleetSettings settings, FleetStore store, String id, String mongodb, String http, String version,
                       LocalInstance local, LongSupplier wallMillis) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.id = Objects.requireNonNull(id, "id");
        this.mongodb = mongodb;
        this.http = http;
        this.version = version;
        this.local = local;
        this.wallMillis = wallMillis;
        this.startedAt = wallMillis.getAsLong();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-fleet");
            t.setDaemon(true);
            return t;
        });
        if (settings.connectionBudget() > 0) {
            // start at the smallest size: the first heartbeat grows the pools to this instance's share
            budgetReady = false;
            applied = local.minPooledPerHost();
            local.resizePools(applied);
        }
    }

    /** Starts the heartbeats (the first at once). */
    public void start() {
        thread.execute(() -> {
            try {
                store.ensureIndex();
            } catch (RuntimeException e) {
                LOG.warn("[fleet] cannot create the TTL index on sluice.fleet ({}); dead instances' documents will stay "
                        + "until removed by hand (they are ignored once older than fleet.instanceTimeoutMS)", e.getMessage());
            }
        });
        thread.scheduleWithFixedDelay(this::heartbeat, 0, settings.heartbeatIntervalMS(), TimeUnit.MILLISECONDS);
    }

    /** One heartbeat: write, read, resize. Public for tests that drive it by hand. */
    public void heartbeat() {
        try {
            if (signature == null) {
                signature = new PeerSignature(store.secret(new SecureRandom()));
            }
            write(Math.max(applied, 0));
            List<InstanceRecord> seen = readLive();
            live = seen;
            if (settings.connectionBudget() > 0) {
                applyBudget(seen);
            }
            if (lastError != null) {
                LOG.info("[fleet] heartbeats work again: {} live instance(s)", seen.size());
                lastError = null;
            }
        } catch (RuntimeException e) {
            if (closing) {
                return; // interrupted by close(): nothing to report
            }
            String cause = e.getMessage();
            if (!Objects.equals(cause, lastError)) {
                LOG.warn("[fleet] heartbeat failed: {}; retrying every {} ms", cause, settings.heartbeatIntervalMS());
            }
            lastError = cause;
            failSafe();
        }
    }

    /**
     * Without heartbeats for half of fleet.instanceTimeoutMS, the others will soon count this instance
     * as gone and grow into its share: shrink to the minimum first, so the budget still holds.
     */
    private void failSafe() {
        if (settings.connectionBudget() <= 0 || applied == local.minPooledPerHost()) {
            return;
        }
        long silent = wallMillis.getAsLong() - Math.max(lastWrittenMillis, startedAt);
        if (silent >= settings.instanceTimeoutMS() / 2) {
            LOG.warn("[fleet] no heartbeat written for {} ms: shrinking this instance's pools to {} per host until "
                    + "heartbeats work again, so that the fleet stays within fleet.connectionBudget", silent,
                    local.minPooledPerHost());
            applied = local.minPooledPerHost();
            local.resizePools(applied);
            budgetReady = false;
        }
    }

    /**
     * Writes this instance's document: what it may hold is the larger of {@code claim} and what it still holds
     * (sockets not yet closed count).
     */
    private void write(int claim) {
        long now = wallMillis.getAsLong();
        int holding = Math.max(claim, local.maxOpenPerHost());
        InstanceRecord me = new InstanceRecord(id, mongodb, http, startedAt, now, local.draining(), local.clients(),
                local.backendConnections(), holding, version);
        store.heartbeat(me, now + settings.instanceTimeoutMS());
        lastWrittenMillis = now;
        self = me;
    }

    private List<InstanceRecord> readLive() {
        List<InstanceRecord> seen = store.live(wallMillis.getAsLong() - settings.instanceTimeoutMS(),
                settings.maxInstances());
        if (seen.size() >= settings.maxInstances()) {
            LOG.warn("[fleet] {} live instances read: fleet.maxInstances = {} reached; the budget counts only those",
                    seen.size(), settings.maxInstances());
        }
        return seen;
    }

    /** The pool size per host this instance may take given what the others hold (not below its minimum). */
    private int target(int fair) {
        int configured = local.configuredMaxPoolSize();
        return Math.max(local.minPooledPerHost(), configured > 0 ? Math.min(configured, fair) : fair);
    }

    /**
     * Resizes the pools to this instance's share. A shrink applies at once (what it holds is published at every
     * write). A growth is claimed first: the larger size is written, the fleet read again, and the pools grow only
     * to what that later reading still allows. So two instances deciding at once cannot both grow into the same
     * connections: each one's reading comes after its own claim, so the later reading of the two sees the other's
     * claim.
     */
    private void applyBudget(List<InstanceRecord> seen) {
        int min = local.minPooledPerHost();
        int fair = BudgetShare.share(settings.connectionBudget(), local.monitorsPerHost(), min, seen, id);
        int target = target(fair);
        if (target > Math.max(applied, min)) {
            write(target);
            seen = readLive();
            live = seen;
            fair = Math.min(fair, BudgetShare.share(settings.connectionBudget(), local.monitorsPerHost(), min, seen, id));
            target = target(fair);
        }
        boolean ready = fair >= min;
        if (target != applied) {
            LOG.info("[fleet] {} live instance(s), fleet.connectionBudget {} per host: this instance's pools {} -> {} "
                            + "connections per host{}", seen.size(), settings.connectionBudget(), applied, target,
                    ready ? "" : " (waiting for the others to shrink; not ready until then)");
            local.resizePools(target);
            applied = target;
        }
        if (ready != budgetReady && !ready && share >= 0) {
            LOG.warn("[fleet] fleet.connectionBudget {} leaves this instance fewer than {} connections per host with {} "
                    + "instances live", settings.connectionBudget(), min, seen.size());
        }
        share = fair;
        budgetReady = ready;
    }

    /**
     * A new fleet.connectionBudget (a configuration reload), applied at the next heartbeat; 0 ends the budget
     * and gives the pools back their configured size at once.
     */
    public void connectionBudget(int budget) {
        FleetSettings before = settings;
        settings = before.withConnectionBudget(budget);
        LOG.info("[fleet] fleet.connectionBudget {} -> {} per host", before.connectionBudget(), budget);
        if (budget == 0 && before.connectionBudget() > 0) {
            applied = -1;
            budgetReady = true;
            local.resizePools(local.configuredMaxPoolSize());
        } else if (budget > 0) {
            thread.execute(this::heartbeat);
        }
    }

    /** This instance's id. */
    public String id() {
        return id;
    }

    /** The live instances at the last heartbeat, by id (this one included once it wrote). */
    public List<InstanceRecord> live() {
        return live;
    }

    /** This instance as last written; null before the first heartbeat. */
    public InstanceRecord self() {
        return self;
    }

    /** The key signing requests between instances; null until the first heartbeat read it. */
    public PeerSignature signature() {
        return signature;
    }

    /** The last heartbeat's error; null when it worked. */
    public String lastError() {
        return lastError;
    }

    /** False while a connection budget leaves this instance less than its minimum (readiness). */
    public boolean budgetReady() {
        return budgetReady;
    }

    /** The pool maximum per host applied under the budget; -1 without a budget. */
    public int appliedPoolSize() {
        return settings.connectionBudget() > 0 ? applied : -1;
    }

    /** The settings. */
    public FleetSettings settings() {
        return settings;
    }

    /** The longest a leave waits for the pools to shrink (within the stop's forced part, 2 s). */
    static final long LEAVE_SHRINK_MS = 1_000;

    /**
     * Stops the heartbeats and removes this instance's document (best effort, bounded). Under a connection budget
     * the pools first shrink to the minimum and the connections beyond it are closed: the others grow into this
     * instance's share once its document is gone, and what it still holds then (its minimum and its monitors) is
     * the headroom the shares leave free.
     */
    @Override
    public void close() {
        closing = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(settings.peerTimeoutMS(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long shrinkMS = Math.min(LEAVE_SHRINK_MS, settings.peerTimeoutMS());
        if (settings.connectionBudget() > 0 && !local.shrinkToMinimum(shrinkMS)) {
            LOG.warn("[fleet] leaving: pooled connections beyond {} per host still open after {} ms; leaving the "
                    + "fleet anyway", local.minPooledPerHost(), shrinkMS);
        }
        try {
            store.remove(id);
        } catch (RuntimeException e) {
            LOG.info("[fleet] could not remove this instance's document ({}); it expires after fleet.instanceTimeoutMS",
                    e.getMessage());
        }
    }
}
