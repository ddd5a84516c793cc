package dev.sluice.server.registry;

import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every accepted connection of every connector. Ids are {@code <connector>-<n>} with one sequence
 * for the whole process, so an id is never reused. Thread-safe; registration is one map put.
 */
public final class ConnectionRegistry {
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    /**
     * Each entry is its own key (entries are equal by sequence), so the map holds no boxed {@code Long} per
     * connection; {@link #find} looks one up with a {@link ConnectionEntry#probe} of the same sequence.
     */
    private final ConcurrentHashMap<ConnectionEntry, ConnectionEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConnectorCounters> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> limitCloses = new ConcurrentHashMap<>();
    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private volatile OperationListener operations = OperationListener.NOOP;

    public ConnectionRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Registers a newly accepted connection and returns its entry (with a fresh id). */
    public ConnectionEntry register(String connector, String serverAddress, String clientAddress,
                                    ConnectionEntry.Killer killer) {
        return add(connector, serverAddress, clientAddress, killer);
    }

    /** As {@link #register(String, String, String, ConnectionEntry.Killer)}, keeping the channel's address objects. */
    public ConnectionEntry register(String connector, SocketAddress serverAddress, SocketAddress clientAddress,
                                    ConnectionEntry.Killer killer) {
        return add(connector, serverAddress, clientAddress, killer);
    }

    private ConnectionEntry add(String connector, Object serverAddress, Object clientAddress,
                                ConnectionEntry.Killer killer) {
        ConnectionEntry entry = new ConnectionEntry(sequence.incrementAndGet(), connector, clock.millis(),
                serverAddress, clientAddress, killer);
        ConnectorCounters counted = countersOf(connector);
        counted.current.incrementAndGet();
        entries.put(entry, entry);
        counted.accepted.incrementAndGet();
        for (RegistryListener listener : listeners) {
            listener.registered(entry);
        }
        return entry;
    }

    /** Removes a closed connection. Idempotent. */
    public void unregister(ConnectionEntry entry) {
        if (entries.remove(entry, entry)) {
            countersOf(entry.connector()).current.decrementAndGet();
            for (RegistryListener listener : listeners) {
                listener.unregistered(entry);
            }
        }
    }

    /**
     * Records what a connection's handshake said of its client (userAgent, appName, driver), and tells the
     * listeners, so that breakdowns by appName and driver are kept as counts instead of walking every connection.
     */
    public void describe(ConnectionEntry entry, String userAgent, String appName, String driver) {
        String previousApp = entry.appName();
        String previousDriver = entry.driver();
        entry.userAgent(userAgent);
        entry.appName(appName);
        entry.driver(driver);
        if (entries.containsKey(entry)) {
            for (RegistryListener listener : listeners) {
                listener.described(entry, previousApp, previousDriver);
            }
        }
    }

    /** Counts a connection refused before registration (e.g. past maxIncomingConnections). */
    public void recordRejected(String connector) {
        countersOf(connector).rejected.incrementAndGet();
        for (RegistryListener listener : listeners) {
            listener.rejected(connector);
        }
    }

    /**
     * Counts a connection closed (or refused) because it crossed a limit; {@code limit} is the name of
     * the setting (e.g. "loginTimeoutMS", "maxBufferedFrameBytes", "httpRequestTimeoutMS").
     */
    public void recordLimitClose(String connector, String limit) {
        limitCloses.computeIfAbsent(connector + "|" + limit, k -> new AtomicLong()).incrementAndGet();
    }

    /** Connections closed per connector and limit: {connector: {limit: count}}, sorted. */
    public java.util.SortedMap<String, java.util.SortedMap<String, Long>> limitCloses() {
        java.util.SortedMap<String, java.util.SortedMap<String, Long>> out = new java.util.TreeMap<>();
        limitCloses.forEach((k, v) -> {
            int bar = k.indexOf('|');
            out.computeIfAbsent(k.substring(0, bar), c -> new java.util.TreeMap<>()).put(k.substring(bar + 1), v.get());
        });
        return out;
    }

    /** Connections of one connector closed because they crossed {@code limit}. */
    public long limitCloses(String connector, String limit) {
        AtomicLong n = limitCloses.get(connector + "|" + limit);
        return n == null ? 0 : n.get();
    }

    /** The entry with this id ({@code <connector>-<n>}), or null. */
    public ConnectionEntry find(String connectionId) {
        if (connectionId == null) {
            return null;
        }
        int dash = connectionId.lastIndexOf('-');
        if (dash <= 0 || dash == connectionId.length() - 1) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(connectionId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        ConnectionEntry entry = entries.get(ConnectionEntry.probe(n));
        return entry != null && connectionId.regionMatches(0, entry.connector(), 0, dash)
                && entry.connector().length() == dash ? entry : null;
    }

    /** All current connections, oldest first. */
    public List<ConnectionEntry> snapshot() {
        List<ConnectionEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(ConnectionEntry::sequence));
        return list;
    }

    /** All current connections, in no particular order: a live, read-only view (no copy). */
    public java.util.Collection<ConnectionEntry> entries() {
        return java.util.Collections.unmodifiableCollection(entries.values());
    }

    /**
     * Current connections of one connector: a counter kept with registration (the health checks, the
     * history sampler and serverStatus read it every second, whatever the number of connections).
     */
    public int currentCount(String connector) {
        ConnectorCounters c = counters.get(connector);
        return c == null ? 0 : c.current.get();
    }

    /** Connections ever accepted by one connector. */
    public long totalAccepted(String connector) {
        return countersOf(connector).accepted.get();
    }

    /** Connections ever refused by one connector. */
    public long totalRejected(String connector) {
        return countersOf(connector).rejected.get();
    }

    /** Tells {@code listener} how every later operation ends (metrics); null for none. */
    public void operationListener(OperationListener listener) {
        this.operations = listener == null ? OperationListener.NOOP : listener;
    }

    /**
     * Ends {@code entry}'s current operation ({@link ConnectionEntry#operationFinished()}) and tells the
     * operation listener its duration, measured with the clock of {@code nowNanos}.
     */
    public void operationFinished(ConnectionEntry entry, long nowNanos) {
        String operation = entry.currentOperation();
        if (operation != null) {
            operations.operationEnded(entry.connector(), operation, entry.currentOpRunningNanos(nowNanos));
        }
        entry.operationFinished();
    }

    /** Counts an error reply ({@code ok: 0}, {@code code}) sent to a client of {@code connector}. */
    public void errorReplied(String connector, int code) {
        operations.errorReplied(connector, code);
    }

    public void addListener(RegistryListener listener) {
        listeners.add(listener);
    }

    private ConnectorCounters countersOf(String connector) {
        return counters.computeIfAbsent(connector, c -> new ConnectorCounters());
    }

    private static final class ConnectorCounters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();
    }
}
