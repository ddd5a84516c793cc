package dev.sluice.server.topology;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.srv.SrvQuery;
import dev.sluice.server.topology.srv.SrvRecords;
import dev.sluice.server.topology.srv.SrvResolution;
import dev.sluice.server.topology.srv.TxtOptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mongodb+srv:// upstream without sockets: the URI's settings before and after DNS answered, the dnsServers and
 * dnsTimeoutMS keys, and the topology taking an SRV rescan's hosts.
 */
class SrvUpstreamTest {

    private static final ServerAddress A = new ServerAddress("a.sluice.test", 27017);
    private static final ServerAddress B = new ServerAddress("b.sluice.test", 27017);
    private static final ServerAddress C = new ServerAddress("c.sluice.test", 27017);

    private static SrvResolution resolution(UpstreamSettings u, TxtOptions txt, ServerAddress... seeds) {
        return new SrvResolution(u.srv(), List.of(seeds), new SrvRecords(u.srv().srvName(), List.of(seeds), List.of(),
                60, "NoError"), txt);
    }

    @Test
    void anSrvUriWithTlsOffIsAcceptedWithItsServiceNameAndMaxHostsAndGetsItsHostsFromDns() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb+srv://Cluster0.Sluice.test/?tls=false&srvMaxHosts=2"
                + "&srvServiceName=db&heartbeatFrequencyMS=500", false);
        assertThat(u.srv()).isEqualTo(new SrvQuery("cluster0.sluice.test", "db", 2, u.srv().uriOptions()));
        assertThat(u.srv().srvName()).isEqualTo("_db._tcp.cluster0.sluice.test");
        assertThat(u.hosts()).isEmpty();
        assertThatThrownBy(u::topologySettings).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not resolved yet");

        UpstreamSettings resolved = u.withSrvResolution(resolution(u, TxtOptions.NONE, A, B));
        assertThat(resolved.topologySettings().seeds()).containsExactly(A, B);
        assertThat(resolved.topologySettings().initialType()).isEqualTo(TopologyType.UNKNOWN);
        assertThat(resolved.heartbeatFrequencyMS()).isEqualTo(500);
        assertThat(resolved.srv()).isEqualTo(u.srv());
        assertThat(UpstreamSettings.fromUri("mongodb://db1/", false).srv()).isNull();
    }

    @Test
    void theTxtRecordsReplicaSetAppliesUnlessTheUriGivesOne() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/?tls=false", false);
        TxtOptions txt = new TxtOptions(null, "rs0", null, "replicaSet=rs0");
        UpstreamSettings resolved = u.withSrvResolution(resolution(u, txt, A));
        assertThat(resolved.replicaSet()).isEqualTo("rs0");
        assertThat(resolved.topologySettings().initialType()).isEqualTo(TopologyType.REPLICA_SET_NO_PRIMARY);

        UpstreamSettings own = UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/?tls=false&replicaSet=mine", false);
        assertThat(own.withSrvResolution(resolution(own, txt, A)).replicaSet()).isEqualTo("mine");
    }

    @Test
    void whatSluiceCannotDoYetIsRefusedWhetherTheUriOrTheTxtRecordSaysIt() {
        // TLS is on by default for mongodb+srv, as the spec says
        assertThat(UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/", false).tls()).isTrue();
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/?tls=false&authSource=admin",
                false)).isInstanceOf(ConfigException.class).hasMessageContaining("authSource without a user name");
        assertThat(UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/?tls=false&loadBalanced=true", false)
                .loadBalanced()).isTrue();
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?srvMaxHosts=2", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("srvMaxHosts");

        UpstreamSettings u = UpstreamSettings.fromUri("mongodb+srv://c.sluice.test/?tls=false", false);
        // the TXT record's authSource applies to the URI's credential unless the URI names its own
        UpstreamSettings withUser = UpstreamSettings.fromUri("mongodb+srv://svc:pw@c.sluice.test/?tls=false", false);
        assertThat(withUser.withSrvResolution(resolution(withUser, new TxtOptions("accounts", null, null,
                "authSource=accounts"), A)).credential().source()).isEqualTo("accounts");
        UpstreamSettings own = UpstreamSettings.fromUri("mongodb+srv://svc:pw@c.sluice.test/?tls=false&authSource=mine", false);
        assertThat(own.withSrvResolution(resolution(own, new TxtOptions("accounts", null, null,
                "authSource=accounts"), A)).credential().source()).isEqualTo("mine");
        UpstreamSettings balanced = u.withSrvResolution(resolution(u, new TxtOptions(null, null, true,
                "loadBalanced=true"), A));
        assertThat(balanced.loadBalanced()).isTrue();
        assertThat(balanced.topologySettings().initialType()).isEqualTo(TopologyType.LOAD_BALANCED);
    }

    @Test
    void dnsServersAndDnsTimeoutComeFromTheYamlFile() {
        SluiceConfig config = SluiceConfig.merge(ConfigFile.parse("dnsServers: [\"10.0.0.2\", \"127.0.0.1:5353\"]\n"
                + "dnsTimeoutMS: 2000\n", "test"), null, null, "mongodb+srv://c.sluice.test/?tls=false");
        assertThat(config.dns().dnsServers()).containsExactly(new InetSocketAddress("10.0.0.2", 53),
                new InetSocketAddress("127.0.0.1", 5353));
        assertThat(config.dns().dnsTimeoutMS()).isEqualTo(2000);

        SluiceConfig defaults = SluiceConfig.merge(ConfigFile.EMPTY, null, null, null);
        assertThat(defaults.dns().dnsServers()).isEmpty();
        assertThat(defaults.dns().dnsTimeoutMS()).isEqualTo(5_000);

        assertThatThrownBy(() -> SluiceConfig.merge(ConfigFile.parse("dnsTimeoutMS: 5\n", "test"), null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dnsTimeoutMS");
        assertThatThrownBy(() -> SluiceConfig.merge(ConfigFile.parse("dnsServers: [\"dns.example.com:53\"]\n", "test"), null,
                null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("dnsServers")
                .hasMessageContaining("not an IP address");
    }

    @Test
    void anSrvRescanAddsAndRemovesHostsOfAShardedOrUnknownTopologyOnly() {
        List<TopologyEvent> events = new ArrayList<>();
        AtomicLong clock = new AtomicLong();
        Topology sharded = new Topology(TopologySettings.discover(List.of(A, B)), events::add, clock::get);
        sharded.open();
        sharded.onHello(A, Hellos.mongos(), 1);
        assertThat(sharded.description().type()).isEqualTo(TopologyType.SHARDED);

        TopologyUpdate update = sharded.updateFromSrv(List.of(C), List.of(B));
        assertThat(update.current().servers().keySet()).containsExactly(A, C);
        assertThat(update.current().server(C).type()).isEqualTo(ServerType.UNKNOWN);
        assertThat(update.current().server(A).type()).as("hosts kept are left alone").isEqualTo(ServerType.MONGOS);
        assertThat(update.actions()).containsExactlyInAnyOrder(new TopologyAction.StartMonitoring(C),
                new TopologyAction.StopMonitoring(B));
        assertThat(events).contains(new TopologyEvent.ServerOpening(C), new TopologyEvent.ServerClosed(B));
        assertThat(sharded.poolGeneration(C)).isZero();
        assertThat(sharded.poolGeneration(B)).isEqualTo(-1);

        assertThat(sharded.updateFromSrv(List.of(), List.of(A, C)).actions()).as("never to no server at all").isEmpty();
        assertThat(sharded.description().servers().keySet()).containsExactly(A, C);

        Topology replicaSet = new Topology(TopologySettings.discover(List.of(A)), TopologyListener.NOOP, clock::get);
        replicaSet.open();
        replicaSet.onHello(A, Hellos.primary("rs", "a.sluice.test:27017"), 1);
        assertThat(replicaSet.updateFromSrv(List.of(C), List.of()).actions()).as("a replica set is not polled")
                .isEmpty();
        assertThat(replicaSet.description().servers().keySet()).containsExactly(A);
    }
}
