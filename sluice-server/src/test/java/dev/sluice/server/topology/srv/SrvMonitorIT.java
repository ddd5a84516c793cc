package dev.sluice.server.topology.srv;

import dev.sluice.server.net.Transport;
import dev.sluice.server.testing.TestDnsServer;
import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SrvMonitor rescanning {@link TestDnsServer}'s records, with short injected intervals. */
class SrvMonitorIT {

    private static final String HOST = "c1.sluice.test";
    private static final String SRV = "_mongodb._tcp." + HOST;
    private static final ServerAddress DB1 = new ServerAddress("db1.sluice.test", 27017);
    private static final ServerAddress DB2 = new ServerAddress("db2.sluice.test", 27017);
    private static final ServerAddress DB3 = new ServerAddress("db3.sluice.test", 27017);
    private static final RescanIntervals FAST = new RescanIntervals(Duration.ofMillis(100), Duration.ofMillis(50));

    private EventLoopGroup group;
    private TestDnsServer dns;
    private SrvResolver resolver;
    private final Set<ServerAddress> topology = ConcurrentHashMap.newKeySet();
    private final Queue<SrvHostChange> changes = new ConcurrentLinkedQueue<>();
    private SrvMonitor monitor;

    @BeforeEach
    void start() {
        group = Transport.detect().newGroup(1);
        dns = TestDnsServer.start();
        resolver = new SrvResolver(group.next(), SrvSettings.of(List.of(dns.hostAndPort()), 500L), new Random(3));
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        resolver.close();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void startMonitor(SrvQuery query) {
        SrvResolution initial = resolver.resolveBlocking(query);
        topology.addAll(initial.seeds());
        monitor = new SrvMonitor(resolver, query, () -> Set.copyOf(topology), FAST, change -> {
            topology.removeAll(change.removed());
            topology.addAll(change.added());
            changes.add(change);
        }, group.next(), new Random(5));
        monitor.start(initial);
    }

    @Test
    void seesAnAddedAndARemovedHost() {
        dns.srv(SRV, 0, "db1.sluice.test:27017", "db2.sluice.test:27017");
        startMonitor(SrvQuery.of(HOST));
        assertThat(topology).containsExactlyInAnyOrder(DB1, DB2);

        dns.srv(SRV, 0, "db1.sluice.test:27017", "db2.sluice.test:27017", "db3.sluice.test:27017");
        await().atMost(Duration.ofSeconds(5)).until(() -> topology.contains(DB3));
        assertThat(changes).last().satisfies(c -> {
            assertThat(c.added()).containsExactly(DB3);
            assertThat(c.removed()).isEmpty();
        });

        dns.srv(SRV, 0, "db2.sluice.test:27017", "db3.sluice.test:27017");
        await().atMost(Duration.ofSeconds(5)).until(() -> !topology.contains(DB1));
        assertThat(topology).containsExactlyInAnyOrder(DB2, DB3);
        assertThat(changes).last().satisfies(c -> {
            assertThat(c.removed()).containsExactly(DB1);
            assertThat(c.added()).isEmpty();
        });
    }

    @Test
    void keepsTheHostsWhenDnsFailsOrAnswersNothingValidAndRecoversAfter() {
        dns.srv(SRV, 0, "db1.sluice.test:27017", "db2.sluice.test:27017");
        startMonitor(SrvQuery.of(HOST));

        dns.dropQueries(true);
        int before = dns.udpQueries();
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.udpQueries() >= before + 2); // timed-out rescans
        dns.dropQueries(false);

        dns.remove(SRV);
        int nx = dns.udpQueries();
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.udpQueries() >= nx + 2); // NXDOMAIN rescans

        dns.srv(SRV, 0, "evil.example.test:27017");
        int refused = dns.udpQueries();
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.udpQueries() >= refused + 2); // only refused hosts
        assertThat(topology).containsExactlyInAnyOrder(DB1, DB2);
        assertThat(changes).isEmpty();

        dns.srv(SRV, 0, "db2.sluice.test:27017", "evil.example.test:27017", "db3.sluice.test:27017");
        await().atMost(Duration.ofSeconds(5)).until(() -> topology.contains(DB3));
        assertThat(topology).as("the host outside the domain is never added").containsExactlyInAnyOrder(DB2, DB3);
    }

    @Test
    void srvMaxHostsBoundsTheHostsAddedByARescan() {
        dns.srv(SRV, 0, "db1.sluice.test:27017", "db2.sluice.test:27017");
        startMonitor(new SrvQuery(HOST, "mongodb", 2, null));

        dns.srv(SRV, 0, "db1.sluice.test:27017", "db2.sluice.test:27017", "db3.sluice.test:27017",
                "db4.sluice.test:27017");
        int seen = dns.udpQueries();
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.udpQueries() >= seen + 2);
        assertThat(topology).as("already at srvMaxHosts").containsExactlyInAnyOrder(DB1, DB2);

        dns.srv(SRV, 0, "db2.sluice.test:27017", "db3.sluice.test:27017", "db4.sluice.test:27017");
        await().atMost(Duration.ofSeconds(5)).until(() -> !topology.contains(DB1));
        assertThat(topology).hasSize(2).contains(DB2);
        assertThat(changes).hasSize(1);
    }

    @Test
    void aClosedMonitorStopsAsking() {
        dns.srv(SRV, 0, "db1.sluice.test:27017");
        startMonitor(SrvQuery.of(HOST));
        int before = dns.udpQueries();
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.udpQueries() > before);
        monitor.close();
        int atClose = dns.udpQueries();
        dns.srv(SRV, 0, "db2.sluice.test:27017");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> dns.udpQueries() <= atClose + 1); // at most the look-up already under way
        assertThat(topology).containsExactly(DB1);
    }
}
