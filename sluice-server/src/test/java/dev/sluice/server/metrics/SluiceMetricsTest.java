package dev.sluice.server.metrics;

import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.admin.Topologies;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyType;
import dev.sluice.server.upstream.SelectionListener;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceMetricsTest {
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();

    @Test
    void countsClientConnectionsPerConnectorLive() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        ConnectionEntry a = fakes.add("mongodb", "c:1");
        fakes.add("mongodb", "c:2");
        fakes.add("http", "c:3");
        registry.unregister(a);
        registry.recordRejected("mongodb");

        assertThat(meters.get("sluice.client.connections").tag("connector", "mongodb").gauge().value()).isEqualTo(1);
        assertThat(meters.get("sluice.client.connections").tag("connector", "http").gauge().value()).isEqualTo(1);
        assertThat(meters.get("sluice.client.connections.accepted").tag("connector", "mongodb").counter().count())
                .isEqualTo(2);
        assertThat(meters.get("sluice.client.connections.rejected").tag("connector", "mongodb").counter().count())
                .isEqualTo(1);
        assertThat(metrics).isNotNull();
    }

    @Test
    void capsAppNameAndDriverTagsThenCountsTheRestAsOther() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools, 2);
        for (String app : new String[] {"billing", "billing", "search", "reports", "etl"}) {
            ConnectionEntry e = fakes.add("mongodb", "c");
            registry.describe(e, null, app, "java-sync");
        }
        fakes.add("mongodb", "c");

        metrics.refresh();

        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "billing").gauge().value()).isEqualTo(2);
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "search").gauge().value()).isEqualTo(1);
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "other").gauge().value()).isEqualTo(2);
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "unknown").gauge().value()).isEqualTo(1);
        assertThat(meters.find("sluice.client.connections.by.app").tag("app", "etl").gauge()).isNull();
        assertThat(meters.get("sluice.client.connections.by.driver").tag("driver", "java-sync").gauge().value())
                .isEqualTo(5);
    }

    @Test
    void backendGaugesFollowThePoolDirectoryOnRefresh() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        pools.host("db1:27017", 3, 4, 1, 100, 7);
        metrics.refresh();

        assertThat(meters.get("sluice.backend.connections").tags("host", "db1:27017", "state", "inUse").gauge().value())
                .isEqualTo(3);
        assertThat(meters.get("sluice.backend.connections").tags("host", "db1:27017", "state", "available").gauge()
                .value()).isEqualTo(4);
        assertThat(meters.get("sluice.backend.connections").tags("host", "db1:27017", "state", "pending").gauge()
                .value()).isEqualTo(1);
        assertThat(meters.get("sluice.backend.wait.queue").tag("host", "db1:27017").gauge().value()).isEqualTo(7);
        assertThat(meters.get("sluice.backend.max.pool.size").tag("host", "db1:27017").gauge().value()).isEqualTo(100);
    }

    @Test
    void poolEventsFeedCountersAndTheWaitTimer() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        metrics.checkedOut("db1:27017", TimeUnit.MILLISECONDS.toNanos(3));
        metrics.checkedOut("db1:27017", TimeUnit.MILLISECONDS.toNanos(5));
        metrics.checkOutFailed("db1:27017", "timeout");
        metrics.waitQueueTimeout("db1:27017");
        metrics.poolCleared("db1:27017");
        metrics.connectionCreated("db1:27017");
        metrics.connectionClosed("db1:27017", "stale");

        assertThat(meters.get("sluice.backend.checkouts").tag("host", "db1:27017").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("sluice.backend.checkout.wait").tag("host", "db1:27017").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8);
        assertThat(meters.get("sluice.backend.checkout.failures").tags("host", "db1:27017", "reason", "timeout")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.backend.wait.queue.timeouts").counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.backend.pool.clears").counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.backend.connections.opened").counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.backend.connections.closed").tags("reason", "stale").counter().count())
                .isEqualTo(1);
    }

    @Test
    void countsByAppFollowHandshakesAndDepartures() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        ConnectionEntry a = fakes.add("mongodb", "c:1");
        ConnectionEntry b = fakes.add("mongodb", "c:2");
        registry.describe(a, null, "billing", "java-sync");
        registry.describe(b, null, "billing", "java-sync");
        metrics.refresh();
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "billing").gauge().value()).isEqualTo(2);
        assertThat(meters.find("sluice.client.connections.by.app").tag("app", "unknown").gauge()).isNull();

        registry.unregister(a);
        metrics.refresh();
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "billing").gauge().value()).isEqualTo(1);
        assertThat(meters.get("sluice.client.connections.by.driver").tag("driver", "java-sync").gauge().value())
                .isEqualTo(1);

        registry.unregister(b);
        metrics.refresh();
        assertThat(meters.find("sluice.client.connections.by.app").tag("app", "billing").gauge()).isNull();
    }

    @Test
    void prometheusScrapeUsesSnakeCaseNames() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        registry.describe(fakes.add("mongodb", "c:1"), null, "billing", null);
        new ConnectionAlerts(meters, registry, pools, AlertSettings.defaults(100)).check();
        pools.host("db1:27017", 1, 2, 0, 100, 0);
        metrics.checkedOut("db1:27017", 1000);
        metrics.refresh();

        String text = meters.scrape();

        assertThat(text).contains("sluice_client_connections{connector=\"mongodb\"} 1",
                "sluice_client_connections_by_app{app=\"billing\"} 1",
                "sluice_backend_connections{host=\"db1:27017\",state=\"available\"} 2",
                "sluice_backend_checkouts_total{host=\"db1:27017\"} 1",
                "sluice_backend_checkout_wait_seconds_bucket{",
                "sluice_backend_connections_opened_total{host=\"db1:27017\"} 0",
                "sluice_connections_limit_ratio{kind=\"client\"} 0.01",
                "sluice_connections_alert{kind=\"backend\"} 0");
    }

    @Test
    void aRefreshThatFindsTheSameRowsRemovesAndAddsNoMeterAndTheValuesStayCurrent() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        pools.host("db1:27017", 3, 4, 1, 100, 7);
        pools.topology(Topologies.replicaSet());
        ConnectionEntry e = fakes.add("mongodb", "c");
        registry.describe(e, null, "billing", "java-sync");
        metrics.refresh();
        java.util.List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        meters.config().onMeterAdded(m -> added.add(m.getId().toString()));
        meters.config().onMeterRemoved(m -> removed.add(m.getId().toString()));

        pools.host("db1:27017", 5, 2, 0, 100, 9); // the same host, other figures
        for (int i = 0; i < 3; i++) {
            metrics.refresh();
        }

        assertThat(added).isEmpty();
        assertThat(removed).isEmpty();
        assertThat(meters.get("sluice.backend.connections").tags("host", "db1:27017", "state", "inUse").gauge().value())
                .isEqualTo(5);
        assertThat(meters.get("sluice.backend.wait.queue").tag("host", "db1:27017").gauge().value()).isEqualTo(9);
        assertThat(meters.get("sluice.client.connections.by.app").tag("app", "billing").gauge().value()).isEqualTo(1);

        // a label whose last connection left loses its row at the next refresh, and only that row
        registry.unregister(e);
        metrics.refresh();
        assertThat(removed).hasSize(2).allMatch(id -> id.contains("by.app") || id.contains("by.driver"));
        assertThat(meters.find("sluice.client.connections.by.app").tag("app", "billing").gauge()).isNull();
    }

    @Test
    void topologyGaugesGiveEachServersStateAndRoundTripAndTheTopologyType() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        pools.topology(Topologies.replicaSet());
        metrics.refresh();

        String text = meters.scrape();

        assertThat(text).contains(
                "sluice_upstream_server_state{host=\"db1:27017\",type=\"RSPrimary\"} 1",
                "sluice_upstream_server_state{host=\"db1:27017\",type=\"RSSecondary\"} 0",
                "sluice_upstream_server_state{host=\"db2:27017\",type=\"RSSecondary\"} 1",
                "sluice_upstream_server_state{host=\"db3:27017\",type=\"Unknown\"} 1",
                "sluice_upstream_server_rtt_seconds{host=\"db1:27017\"} 0.0014",
                "sluice_upstream_server_rtt_seconds{host=\"db2:27017\"} 0.0126",
                "sluice_topology_type{type=\"ReplicaSetWithPrimary\"} 1",
                "sluice_topology_type{type=\"Unknown\"} 0");
        assertThat(text).doesNotContain("sluice_upstream_server_rtt_seconds{host=\"db3:27017\"}");

        // a server that leaves the topology loses its series; the type follows the description
        pools.topology(Topologies.of(TopologyType.REPLICA_SET_NO_PRIMARY, "rs0",
                Topologies.server("db2:27017", ServerType.RS_SECONDARY, 10, "rs0", Map.of(), null)));
        metrics.refresh();
        text = meters.scrape();
        assertThat(text).doesNotContain("host=\"db1:27017\"", "host=\"db3:27017\"");
        assertThat(text).contains("sluice_topology_type{type=\"ReplicaSetNoPrimary\"} 1",
                "sluice_topology_type{type=\"ReplicaSetWithPrimary\"} 0");
    }

    @Test
    void serverSelectionsAreCountedByOutcomeAndTimed() {
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        metrics.selections().selectionEnded(SelectionListener.Outcome.SELECTED, 1_000_000);
        metrics.selections().selectionEnded(SelectionListener.Outcome.SELECTED, 3_000_000);
        metrics.selections().selectionEnded(SelectionListener.Outcome.NO_SUITABLE_SERVER, 2_000_000_000L);

        assertThat(meters.get("sluice.upstream.selections").tag("outcome", "selected").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("sluice.upstream.selections").tag("outcome", "no_suitable_server").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("sluice.upstream.selection.wait").tag("outcome", "no_suitable_server").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
        assertThat(meters.scrape()).contains("sluice_upstream_selections_total{outcome=\"selected\"} 2",
                "sluice_upstream_selection_wait_seconds_count{outcome=\"selected\"} 2");
    }
}
