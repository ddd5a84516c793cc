package dev.sluice.server.metrics;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.registry.RegistryListener;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;
import dev.sluice.server.upstream.ReplyErrorListener;
import dev.sluice.server.upstream.SelectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Sluice's metrics. Client connections per connector are live gauges fed by the registry's events;
 * the per-appName/per-driver breakdown and the backend pool gauges get their rows from
 * {@link #refresh()}, which the server calls every second (and before each scrape), and read their values
 * when scraped (the pool figures as {@code refresh()} last took them); a refresh that finds the same rows
 * changes nothing in the registry ({@link LiveRows}). Pool events come
 * in through the {@code checkedOut}, {@code connectionCreated}, ... methods, called by the proxy's pool
 * listener. Prometheus names are the dotted names below with dots as underscores
 * ({@code sluice.backend.checkouts} becomes {@code sluice_backend_checkouts_total}).
 */
public final class SluiceMetrics {
    /** Distinct appName / driver values kept as tags before the rest are counted as "other". */
    public static final int DEFAULT_LABEL_LIMIT = 100;

    private final MeterRegistry meters;
    private final ConnectionRegistry registry;
    private final PoolDirectory pools;
    private final BoundedLabels appNames;
    private final BoundedLabels drivers;
    private final Map<String, AtomicInteger> perConnector = new ConcurrentHashMap<>();
    /** Connections per appName / driver label, kept by the registry's events (a scrape reads them, walks nothing). */
    private final Map<String, AtomicInteger> perApp = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perDriver = new ConcurrentHashMap<>();
    private final Map<String, HostMeters> perHost = new ConcurrentHashMap<>();
    private final LiveRows<String> byApp;
    private final LiveRows<String> byDriver;
    private final LiveRows<HostFigure> backendConnections;
    private final LiveRows<String> waitQueue;
    private final LiveRows<String> maxPoolSize;
    /** Each upstream host's pool figures as of the last {@link #refresh()}, which the pool gauges read. */
    private volatile Map<String, HostPoolStats> hostStats = Map.of();
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Set<String> limitCounters = ConcurrentHashMap.newKeySet();
    private final TopologyMetrics topology;
    private final SelectionMetrics selections;
    private final CommandMetrics commands;

    public SluiceMetrics(MeterRegistry meters, ConnectionRegistry registry, PoolDirectory pools) {
        this(meters, registry, pools, DEFAULT_LABEL_LIMIT);
    }

    public SluiceMetrics(MeterRegistry meters, ConnectionRegistry registry, PoolDirectory pools, int labelLimit) {
        this.meters = meters;
        this.registry = registry;
        this.pools = pools;
        this.appNames = new BoundedLabels(labelLimit);
        this.drivers = new BoundedLabels(labelLimit);
        this.byApp = new LiveRows<>(MultiGauge.builder("sluice.client.connections.by.app")
                .description("Client connections by the appName of their handshake (capped, then \"other\")")
                .register(meters), app -> Tags.of("app", app), app -> current(perApp, app));
        this.byDriver = new LiveRows<>(MultiGauge.builder("sluice.client.connections.by.driver")
                .description("Client connections by driver name (capped, then \"other\")")
                .register(meters), driver -> Tags.of("driver", driver), driver -> current(perDriver, driver));
        this.backendConnections = new LiveRows<>(MultiGauge.builder("sluice.backend.connections")
                .description("Backend connections per upstream host by state (inUse, available, pending)")
                .register(meters), f -> Tags.of("host", f.host(), "state", f.state()), this::connections);
        this.waitQueue = new LiveRows<>(MultiGauge.builder("sluice.backend.wait.queue")
                .description("Requests waiting for a backend connection, per upstream host")
                .register(meters), host -> Tags.of("host", host), host -> hostFigure(host, HostPoolStats::waitQueueSize));
        this.maxPoolSize = new LiveRows<>(MultiGauge.builder("sluice.backend.max.pool.size")
                .description("maxPoolSize of each upstream host's pool (0 = unbounded)")
                .register(meters), host -> Tags.of("host", host), host -> hostFigure(host, HostPoolStats::maxPoolSize));
        this.topology = new TopologyMetrics(meters, pools::topology);
        this.selections = new SelectionMetrics(meters);
        this.commands = new CommandMetrics(meters);
        registry.operationListener(commands);
        for (ConnectionEntry entry : registry.snapshot()) {
            connectorCount(entry.connector()).incrementAndGet();
            count(perApp, appNames.label(entry.appName()), 1);
            count(perDriver, drivers.label(entry.driver()), 1);
        }
        registry.addListener(new Listener());
        refresh();
    }

    /**
     * Refreshes, then reads the registry ({@code scrape}) while no other refresh can run: a refresh replaces
     * gauge rows, and a scrape that saw a row both removed and re-added would report it twice.
     */
    public synchronized <T> T refreshed(java.util.function.Supplier<T> scrape) {
        refresh();
        return scrape.get();
    }

    /**
     * Recomputes the breakdowns that have no events of their own (pool figures, topology) and publishes the
     * counts by appName and driver label (capped), which the registry's events keep: nothing here walks the
     * connections, so a scrape costs the same with 20,000 clients as with 20.
     */
    public synchronized void refresh() {
        byApp.update(labelsInUse(perApp));
        byDriver.update(labelsInUse(perDriver));

        Map<String, HostPoolStats> stats = new LinkedHashMap<>();
        for (HostPoolStats host : pools.statistics()) {
            stats.put(host.host(), host);
        }
        hostStats = stats;
        List<HostFigure> figures = new ArrayList<>(stats.size() * HostFigure.STATES.size());
        for (String host : stats.keySet()) {
            for (String state : HostFigure.STATES) {
                figures.add(new HostFigure(host, state));
            }
        }
        backendConnections.update(figures);
        waitQueue.update(stats.keySet());
        maxPoolSize.update(stats.keySet());
        registry.limitCloses().forEach((connector, byLimit) -> byLimit.keySet().forEach(limit -> {
            if (limitCounters.add(connector + "|" + limit)) {
                io.micrometer.core.instrument.FunctionCounter.builder("sluice.connections.limit.closed", registry,
                                r -> r.limitCloses(connector, limit))
                        .description("Client connections closed or refused because they crossed a limit (the setting's name)")
                        .tags("connector", connector, "limit", limit)
                        .register(meters);
            }
        }));
        topology.refresh();
    }

    /** One series of {@code sluice_backend_connections}: a host's connections in one state. */
    private record HostFigure(String host, String state) {
        static final List<String> STATES = List.of("inUse", "available", "pending");
    }

    private double connections(HostFigure f) {
        return switch (f.state()) {
            case "inUse" -> hostFigure(f.host(), HostPoolStats::inUse);
            case "available" -> hostFigure(f.host(), HostPoolStats::available);
            default -> hostFigure(f.host(), HostPoolStats::refreshing);
        };
    }

    private double hostFigure(String host, ToIntFunction<HostPoolStats> figure) {
        HostPoolStats stats = hostStats.get(host);
        return stats == null ? Double.NaN : figure.applyAsInt(stats);
    }

    /** Counts server selections by outcome and times them (give it to the upstream cluster). */
    public SelectionListener selections() {
        return selections;
    }

    /** Counts error replies sent by backends by code (give it to the upstream cluster). */
    public ReplyErrorListener replyErrors() {
        return commands;
    }

    /** A request got a backend connection after waiting {@code waitNanos}. Hot path: no allocation once warm. */
    public void checkedOut(String host, long waitNanos) {
        HostMeters m = host(host);
        m.checkoutWait.record(waitNanos, TimeUnit.NANOSECONDS); // the checkouts counter reads its count
    }

    /** A request could not get a backend connection ({@code reason}: the pool's failure reason). */
    public void checkOutFailed(String host, String reason) {
        Counter.builder("sluice.backend.checkout.failures").description("Failed backend checkouts by reason")
                .tags("host", host, "reason", reason).register(meters).increment();
    }

    /** A request timed out in a host's wait queue (waitQueueTimeoutMS). */
    public void waitQueueTimeout(String host) {
        host(host).waitQueueTimeouts.increment();
    }

    /** A host's pool was cleared (dropConnections, network error). */
    public void poolCleared(String host) {
        host(host).clears.increment();
    }

    /** A backend connection to {@code host} was opened. */
    public void connectionCreated(String host) {
        host(host).created.increment();
    }

    /** A backend connection to {@code host} was closed ({@code reason}: the pool's close reason). */
    public void connectionClosed(String host, String reason) {
        Counter.builder("sluice.backend.connections.closed").description("Backend connections closed by reason")
                .tags("host", host, "reason", reason).register(meters).increment();
    }

    /**
     * A client connection was refused (e.g. past maxIncomingConnections). Called for every
     * {@link ConnectionRegistry#recordRejected}, so the proxy need only call that.
     */
    public void clientRejected(String connector) {
        Counter.builder("sluice.client.connections.rejected").description("Client connections refused")
                .tag("connector", connector).register(meters).increment();
    }

    private HostMeters host(String host) {
        HostMeters m = perHost.get(host);
        return m != null ? m : perHost.computeIfAbsent(host, h -> new HostMeters(meters, h));
    }

    private AtomicInteger connectorCount(String connector) {
        return perConnector.computeIfAbsent(connector, c -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("sluice.client.connections", count, AtomicInteger::get)
                    .description("Open client connections by connector").tag("connector", c).register(meters);
            return count;
        });
    }

    private static void count(Map<String, AtomicInteger> counts, String label, int delta) {
        counts.computeIfAbsent(label, l -> new AtomicInteger()).addAndGet(delta);
    }

    /** The labels with connections now (a label whose connections all left has no row). */
    private static List<String> labelsInUse(Map<String, AtomicInteger> counts) {
        List<String> labels = new ArrayList<>(counts.size());
        counts.forEach((label, n) -> {
            if (n.get() > 0) {
                labels.add(label);
            }
        });
        return labels;
    }

    private static double current(Map<String, AtomicInteger> counts, String label) {
        AtomicInteger n = counts.get(label);
        return n == null ? 0 : n.get();
    }

    private final class Listener implements RegistryListener {
        @Override
        public void registered(ConnectionEntry entry) {
            connectorCount(entry.connector()).incrementAndGet();
            count(perApp, appNames.label(entry.appName()), 1);
            count(perDriver, drivers.label(entry.driver()), 1);
            accepted.computeIfAbsent(entry.connector(), c -> Counter.builder("sluice.client.connections.accepted")
                    .description("Client connections accepted").tag("connector", c).register(meters)).increment();
        }

        @Override
        public void unregistered(ConnectionEntry entry) {
            connectorCount(entry.connector()).decrementAndGet();
            count(perApp, appNames.label(entry.appName()), -1);
            count(perDriver, drivers.label(entry.driver()), -1);
        }

        @Override
        public void described(ConnectionEntry entry, String previousAppName, String previousDriver) {
            // labels are stable (BoundedLabels admits a value for good), so the row left is the row once joined
            count(perApp, appNames.label(previousAppName), -1);
            count(perApp, appNames.label(entry.appName()), 1);
            count(perDriver, drivers.label(previousDriver), -1);
            count(perDriver, drivers.label(entry.driver()), 1);
        }

        @Override
        public void rejected(String connector) {
            clientRejected(connector);
        }
    }

    /** The per-host meters of the hot path, looked up once per host. */
    private static final class HostMeters {
        final Timer checkoutWait;
        final Counter waitQueueTimeouts;
        final Counter clears;
        final Counter created;

        HostMeters(MeterRegistry meters, String host) {
            checkoutWait = LatencyBuckets.apply(Timer.builder("sluice.backend.checkout.wait")
                    .description("Time waited for a backend connection").tag("host", host)).register(meters);
            // the same count as the wait histogram's: read from it, not kept twice per operation
            io.micrometer.core.instrument.FunctionCounter.builder("sluice.backend.checkouts", checkoutWait, Timer::count)
                    .description("Backend connections checked out").tag("host", host).register(meters);
            waitQueueTimeouts = Counter.builder("sluice.backend.wait.queue.timeouts")
                    .description("Requests that timed out waiting for a backend connection")
                    .tag("host", host).register(meters);
            clears = Counter.builder("sluice.backend.pool.clears").description("Times a host's pool was cleared")
                    .tag("host", host).register(meters);
            created = Counter.builder("sluice.backend.connections.opened").description("Backend connections opened")
                    .tag("host", host).register(meters);
        }
    }
}
