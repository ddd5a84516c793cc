package dev.sluice.server.registry;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted connection of any connector, as the registry, the admin commands and the dashboard
 * see it. Identity fields are final; the rest is updated by the connection's own event loop and read
 * by anyone (volatile / atomic, no locks).
 */
public final class ConnectionEntry {
    private final String connectionId;
    private final long sequence;
    private final Instant connectTime;
    private final String connector;
    private final String serverAddress;
    private final String clientAddress;
    private final Killer killer;

    private volatile String username;
    private volatile String userAgent;
    private volatile String appName;
    private volatile String driver;
    private volatile ConnectionStatus status = ConnectionStatus.IDLE;
    private volatile String currentOp;
    private volatile long currentOpStartNanos;
    private volatile String pinnedHost;
    private final AtomicLong opCount = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    ConnectionEntry(long sequence, String connector, Instant connectTime, String serverAddress,
                    String clientAddress, Killer killer) {
        this.sequence = sequence;
        this.connectionId = connector + "-" + sequence;
        this.connector = connector;
        this.connectTime = connectTime;
        this.serverAddress = serverAddress;
        this.clientAddress = clientAddress;
        this.killer = killer;
    }

    /** Closes a connection on behalf of an operator. */
    @FunctionalInterface
    public interface Killer {
        /** Closes the connection, terminating its ongoing operation. Must not block. */
        void kill(String reason);
    }

    public String connectionId() { return connectionId; }
    /** The numeric part of the id; unique across connectors and never reused in a process. */
    public long sequence() { return sequence; }
    public Instant connectTime() { return connectTime; }
    public String connector() { return connector; }
    public String serverAddress() { return serverAddress; }
    public String clientAddress() { return clientAddress; }
    public String username() { return username; }
    public String userAgent() { return userAgent; }
    public String appName() { return appName; }
    public String driver() { return driver; }
    public ConnectionStatus status() { return status; }
    public String currentOp() { return currentOp; }
    public String pinnedHost() { return pinnedHost; }
    public long opCount() { return opCount.get(); }
    public long bytesIn() { return bytesIn.get(); }
    public long bytesOut() { return bytesOut.get(); }

    /** How long the current operation has run, in nanoseconds of {@code nowNanos}'s clock; 0 when idle. */
    public long currentOpRunningNanos(long nowNanos) {
        return currentOp == null ? 0 : Math.max(0, nowNanos - currentOpStartNanos);
    }

    public void username(String username) { this.username = username; }
    public void userAgent(String userAgent) { this.userAgent = userAgent; }
    public void appName(String appName) { this.appName = appName; }
    public void driver(String driver) { this.driver = driver; }
    public void pinnedHost(String pinnedHost) { this.pinnedHost = pinnedHost; }
    public void addBytesIn(long n) { bytesIn.addAndGet(n); }
    public void addBytesOut(long n) { bytesOut.addAndGet(n); }

    /** Marks an operation as started (status Running, opCount + 1). */
    public void operationStarted(String description, long nowNanos) {
        opCount.incrementAndGet();
        currentOpStartNanos = nowNanos;
        currentOp = description;
        if (status != ConnectionStatus.CLOSING) {
            status = ConnectionStatus.RUNNING;
        }
    }

    /** Marks the current operation as finished (status Idle unless closing). */
    public void operationFinished() {
        currentOp = null;
        if (status != ConnectionStatus.CLOSING) {
            status = ConnectionStatus.IDLE;
        }
    }

    /** Marks the connection as closing; it stays listed until it is unregistered. */
    public void closing() {
        status = ConnectionStatus.CLOSING;
    }

    /** Kills the connection (operator action). */
    public void kill(String reason) {
        closing();
        killer.kill(reason);
    }

    @Override
    public String toString() {
        return connectionId + " from " + clientAddress;
    }
}
