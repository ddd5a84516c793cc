package dev.sluice.server.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * One accepted connection of any connector, as the registry, the admin commands and the dashboard
 * see it. Identity fields are final; the rest is written only by the connection's own event loop
 * (one writer, so plain volatile fields suffice, counters included) and read by anyone. What every
 * operation writes (its name, target and start, the status, the counters, the pinned host) is stored
 * with release semantics ({@link VarHandle#setRelease}): a reader still sees each value whole and in
 * order, and the writer pays no full fence per store (about a dozen per forwarded operation).
 *
 * <p>Kept small on purpose (it lives as long as an idle client): addresses are the channel's own
 * objects, formatted when read; the id string is built when asked for.
 */
public final class ConnectionEntry {
    private final long sequence;
    private final long connectTimeMillis;
    private final String connector;
    private final Object serverAddress;
    private final Object clientAddress;
    private final Killer killer;

    private volatile String username;
    private volatile dev.sluice.server.security.authz.Subject subject;
    /** 0: not waiting; 1: awaitable hello; 2: exhaust hello; 3: exhaust isMaster (serverStatus.connections). */
    private volatile byte helloWait;
    private volatile String userAgent;
    private volatile String appName;
    private volatile String driver;
    private volatile ConnectionStatus status = ConnectionStatus.IDLE;
    private volatile String currentOp;
    private volatile String currentOpTarget;
    private volatile long currentOpStartNanos;
    private volatile String pinnedHost;
    private volatile long opCount;
    private volatile long bytesIn;
    private volatile long bytesOut;

    private static final VarHandle STATUS;
    private static final VarHandle CURRENT_OP;
    private static final VarHandle CURRENT_OP_TARGET;
    private static final VarHandle CURRENT_OP_START;
    private static final VarHandle PINNED_HOST;
    private static final VarHandle OP_COUNT;
    private static final VarHandle BYTES_IN;
    private static final VarHandle BYTES_OUT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(ConnectionEntry.class, "status", ConnectionStatus.class);
            CURRENT_OP = l.findVarHandle(ConnectionEntry.class, "currentOp", String.class);
            CURRENT_OP_TARGET = l.findVarHandle(ConnectionEntry.class, "currentOpTarget", String.class);
            CURRENT_OP_START = l.findVarHandle(ConnectionEntry.class, "currentOpStartNanos", long.class);
            PINNED_HOST = l.findVarHandle(ConnectionEntry.class, "pinnedHost", String.class);
            OP_COUNT = l.findVarHandle(ConnectionEntry.class, "opCount", long.class);
            BYTES_IN = l.findVarHandle(ConnectionEntry.class, "bytesIn", long.class);
            BYTES_OUT = l.findVarHandle(ConnectionEntry.class, "bytesOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    ConnectionEntry(long sequence, String connector, long connectTimeMillis, Object serverAddress,
                    Object clientAddress, Killer killer) {
        this.sequence = sequence;
        this.connector = connector;
        this.connectTimeMillis = connectTimeMillis;
        this.serverAddress = serverAddress;
        this.clientAddress = clientAddress;
        this.killer = killer;
    }

    /** Closes a connection on behalf of an operator. */
    @FunctionalInterface
    public interface Killer {
        /** Closes the connection, terminating its ongoing operation. Must not block. */
        void kill(String reason);

        /**
         * Closes the connection only if {@code stillIdle} holds when checked where the connection's requests are
         * handled (its event loop), so that no request can start between the check and the close. Must not block.
         */
        default void killIf(java.util.function.BooleanSupplier stillIdle, String reason) {
            if (stillIdle.getAsBoolean()) {
                kill(reason);
            }
        }
    }

    /** The session behind this connection (what owns its cursors and transactions upstream). */
    public Object owner() { return killer; }

    public String connectionId() { return connector + "-" + sequence; }
    /** The numeric part of the id; unique across connectors and never reused in a process. */
    public long sequence() { return sequence; }
    public Instant connectTime() { return Instant.ofEpochMilli(connectTimeMillis); }
    public long connectTimeMillis() { return connectTimeMillis; }
    public String connector() { return connector; }
    public String serverAddress() { return format(serverAddress); }
    /** The listener's address as registered (a {@link SocketAddress}, or its text): {@link #serverAddress()} formats it. */
    public Object serverAddressValue() { return serverAddress; }
    public String clientAddress() { return format(clientAddress); }
    public String username() { return username; }
    public String userAgent() { return userAgent; }
    public String appName() { return appName; }
    public String driver() { return driver; }
    public ConnectionStatus status() { return status; }
    /** The operation in flight ("find test", "GET /api/connections"), or null when idle. */
    public String currentOp() {
        String op = currentOp;
        String target = currentOpTarget;
        return op == null || target == null ? op : op + " " + target;
    }
    /** The name of the operation in flight ("find"), without its target, or null when idle. */
    public String currentOperation() { return currentOp; }
    public String pinnedHost() { return pinnedHost; }
    public long opCount() { return opCount; }
    public long bytesIn() { return bytesIn; }
    public long bytesOut() { return bytesOut; }

    /** How long the current operation has run, in nanoseconds of {@code nowNanos}'s clock; 0 when idle. */
    public long currentOpRunningNanos(long nowNanos) {
        return currentOp == null ? 0 : Math.max(0, nowNanos - currentOpStartNanos);
    }

    public void username(String username) { this.username = username; }

    /** What this connection's monitoring is doing: see {@link #helloWait(boolean, boolean)}. */
    public int helloWait() { return helloWait; }

    /** Records an awaitable hello in progress (or its end, with {@code waiting} false). */
    public void helloWait(boolean waiting, boolean exhaust, boolean legacyName) {
        helloWait = (byte) (!waiting ? 0 : !exhaust ? 1 : legacyName ? 3 : 2);
    }

    /** Who authenticated on this connection, or null (not authenticated, or auth off). */
    public dev.sluice.server.security.authz.Subject subject() { return subject; }

    /**
     * Records who authenticated (null: nobody, e.g. after logout). The row's username is the user's
     * name when its authentication database is admin, else {@code user@db}.
     */
    public void subject(dev.sluice.server.security.authz.Subject subject) {
        this.subject = subject;
        this.username = subject == null ? null : displayName(subject.user());
    }

    /** {@code user} for a user of admin, {@code user@db} otherwise. */
    public static String displayName(dev.sluice.server.security.authz.UserName user) {
        return "admin".equals(user.db()) ? user.user() : user.user() + "@" + user.db();
    }
    public void userAgent(String userAgent) { this.userAgent = Labels.canonical(userAgent); }
    public void appName(String appName) { this.appName = Labels.canonical(appName); }
    public void driver(String driver) { this.driver = Labels.canonical(driver); }
    public void pinnedHost(String pinnedHost) {
        if (this.pinnedHost != pinnedHost) {
            PINNED_HOST.setRelease(this, pinnedHost);
        }
    }
    // single writer (the connection's event loop): read-modify-write of a volatile is safe here
    public void addBytesIn(long n) { BYTES_IN.setRelease(this, bytesIn + n); }
    public void addBytesOut(long n) { BYTES_OUT.setRelease(this, bytesOut + n); }

    /** Marks an operation as started (status Running, opCount + 1). */
    public void operationStarted(String description, long nowNanos) {
        operationStarted(description, null, nowNanos);
    }

    /**
     * As {@link #operationStarted(String, long)}, with what it acts on (a database, a path) kept
     * apart so the hot path builds no string.
     */
    public void operationStarted(String operation, String target, long nowNanos) {
        OP_COUNT.setRelease(this, opCount + 1);
        CURRENT_OP_START.setRelease(this, nowNanos);
        CURRENT_OP_TARGET.setRelease(this, target);
        CURRENT_OP.setRelease(this, operation); // last: a reader that sees it sees its start and target
        if (status != ConnectionStatus.CLOSING) {
            STATUS.setRelease(this, ConnectionStatus.RUNNING);
        }
    }

    /** Marks the current operation as finished (status Idle unless closing). */
    public void operationFinished() {
        CURRENT_OP.setRelease(this, (String) null);
        CURRENT_OP_TARGET.setRelease(this, (String) null); // an idle connection keeps no per-request string
        if (status != ConnectionStatus.CLOSING) {
            STATUS.setRelease(this, ConnectionStatus.IDLE);
        }
    }

    /** Marks the connection as closing; it stays listed until it is unregistered. */
    public void closing() {
        status = ConnectionStatus.CLOSING;
    }

    /**
     * The connection's operation count if it is idle now, else -1: the mark {@link #killIfStillIdle} compares with.
     * The count is read before the status, so an operation that starts in between changes the count.
     */
    public long idleMark() {
        long ops = opCount;
        return status == ConnectionStatus.IDLE ? ops : -1;
    }

    /**
     * Kills the connection if it has run no operation since {@code opCountSeen} ({@link #idleMark()}) was read and
     * none runs now, checked on its event loop (a drain moving idle clients: work begun after the caller looked is
     * left alone).
     */
    public void killIfStillIdle(long opCountSeen, String reason) {
        killer.killIf(() -> {
            if (opCount != opCountSeen || status == ConnectionStatus.RUNNING) {
                return false;
            }
            closing();
            return true;
        }, reason);
    }

    /** Kills the connection (operator action). */
    public void kill(String reason) {
        closing();
        killer.kill(reason);
    }

    /** A key to look an entry up by sequence in the registry's map; never registered. */
    static ConnectionEntry probe(long sequence) {
        return new ConnectionEntry(sequence, "", 0, "", "", reason -> { });
    }

    /** Equal by sequence: unique in the process, so this is identity for registered entries. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionEntry other && other.sequence == sequence;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    private static String format(Object address) {
        return address instanceof SocketAddress a ? Addresses.format(a) : (String) address;
    }

    @Override
    public String toString() {
        return connectionId() + " from " + clientAddress();
    }
}
