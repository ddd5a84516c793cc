package dev.sluice.server.metrics;

import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.metrics.ConnectionAlerts.Kind;
import dev.sluice.server.metrics.ConnectionAlerts.Transition;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionAlertsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final ConnectionAlerts alerts = new ConnectionAlerts(meters, registry, pools, AlertSettings.defaults(10));
    private final List<ConnectionEntry> clients = new ArrayList<>();

    private void clients(int n) {
        while (clients.size() < n) {
            clients.add(fakes.add("mongodb", "c:" + clients.size()));
        }
        while (clients.size() > n) {
            registry.unregister(clients.remove(clients.size() - 1));
        }
    }

    private double gauge(String name, Kind kind) {
        return meters.get(name).tag("kind", kind.tag()).gauge().value();
    }

    @Test
    void warnsOnceWhenClientsCrossTheThresholdAndClearsOnlyBelowTheHysteresisBand() {
        clients(7);
        assertThat(alerts.check()).isEmpty();
        assertThat(gauge("sluice.connections.limit.ratio", Kind.CLIENT)).isEqualTo(0.7);

        clients(8);
        assertThat(alerts.check()).containsExactly(new Transition(Kind.CLIENT, true, 8, 10));
        assertThat(alerts.alerting(Kind.CLIENT)).isTrue();
        assertThat(gauge("sluice.connections.alert", Kind.CLIENT)).isEqualTo(1.0);

        clients(10);
        assertThat(alerts.check()).as("still above: no second warning").isEmpty();
        clients(7);
        assertThat(alerts.check()).as("70% is inside the 10-point hysteresis band").isEmpty();
        assertThat(alerts.alerting(Kind.CLIENT)).isTrue();

        clients(6);
        assertThat(alerts.check()).containsExactly(new Transition(Kind.CLIENT, false, 6, 10));
        assertThat(gauge("sluice.connections.alert", Kind.CLIENT)).isZero();

        clients(9);
        assertThat(alerts.check()).as("a new crossing warns again").hasSize(1);
    }

    @Test
    void aPoolFullOfIdleConnectionsIsNoPressure() {
        pools.host("db1:27017", 0, 5, 0, 5, 0);
        assertThat(alerts.check()).isEmpty();
        assertThat(alerts.ratio(Kind.BACKEND)).isZero();
    }

    @Test
    void httpConnectionsDoNotCountAgainstTheClientLimit() {
        for (int i = 0; i < 20; i++) {
            fakes.add("http", "b:" + i);
        }
        assertThat(alerts.check()).isEmpty();
        assertThat(alerts.ratio(Kind.CLIENT)).isZero();
    }

    @Test
    void backendRatioIsConnectionsInUsePlusWaitersOverTheSumOfMaxPoolSizes() {
        pools.host("db1:27017", 50, 20, 10, 100, 0).host("db2:27017", 0, 0, 0, 100, 0);
        assertThat(alerts.check()).isEmpty();
        assertThat(alerts.ratio(Kind.BACKEND)).isEqualTo(0.25);

        pools.host("db2:27017", 100, 0, 0, 100, 20);
        assertThat(alerts.check()).containsExactly(new Transition(Kind.BACKEND, true, 170, 200));
        assertThat(gauge("sluice.connections.limit.ratio", Kind.BACKEND)).isEqualTo(0.85);
        assertThat(gauge("sluice.connections.alert", Kind.BACKEND)).isEqualTo(1.0);
    }

    @Test
    void unboundedPoolsNeverAlert() {
        pools.host("db1:27017", 5000, 0, 0, 0, 0);
        assertThat(alerts.check()).isEmpty();
        assertThat(alerts.ratio(Kind.BACKEND)).isZero();
    }

    @Test
    void settingsNameTheOptionAndItsRange() {
        assertThatThrownBy(() -> new AlertSettings(10, 0, 0))
                .hasMessage("alerts.thresholdPercent: 0 (expected: 1..100)");
        assertThatThrownBy(() -> new AlertSettings(10, 80, 80))
                .hasMessage("alerts.hysteresisPercent: 80 (expected: 0..79)");
        assertThatThrownBy(() -> new AlertSettings(0, 80, 10))
                .hasMessage("maxIncomingConnections: 0 (expected: >= 1)");
    }
}
