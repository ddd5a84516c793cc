package dev.sluice.server.topology;

import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.cli.Main;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SimulatedMember;
import dev.sluice.server.testing.SimulatedReplicaSet;
import dev.sluice.server.testing.TestDnsServer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sluice with a {@code mongodb+srv://} upstream whose SRV, TXT and A records {@link TestDnsServer} serves (YAML
 * {@code dnsServers}), in front of a {@link SimulatedReplicaSet} or of {@link FakeMongod} mongos, driven by the real
 * Java driver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SrvUpstreamIT {

    private static final String NAME = "cluster0.sluice.test";
    private static final String SRV = "_mongodb._tcp." + NAME;
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Rescans every 200 ms instead of the spec's 60 s (SluiceServer's test-only constructor). */
    private static final Duration RESCAN = Duration.ofMillis(200);

    private TestDnsServer dns;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void startDns() {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        dns.close();
    }

    private <T extends AutoCloseable> T closed(T resource) {
        closing.add(resource);
        return resource;
    }

    private SluiceConfig config(String upstream) {
        return SluiceConfig.merge(ConfigFile.parse("dnsServers: [\"" + dns.hostAndPort() + "\"]\ndnsTimeoutMS: 2000\n",
                "test"), "127.0.0.1:0", "127.0.0.1:0", upstream);
    }

    private SluiceServer sluice(String upstream) throws InterruptedException {
        return closed(new SluiceServer(config(upstream), Clock.systemUTC(), RESCAN)).start();
    }

    private MongoClient client(SluiceServer sluice) {
        var a = sluice.mongoAddress();
        return closed(MongoClients.create("mongodb://" + a.getHostString() + ":" + a.getPort() + "/"));
    }

    private static String target(String label, int port) {
        return label + "." + "sluice.test:" + port;
    }

    @Test
    void aReplicaSetNamedBySrvAndTxtRecordsServesTheDriverThroughSluice() throws Exception {
        SimulatedReplicaSet rs = closed(SimulatedReplicaSet.start(3));
        dns.srv(SRV, 300, target("m0", rs.member(0).port()), target("m1", rs.member(1).port()),
                target("m2", rs.member(2).port())).txt(NAME, "replicaSet=rs0");
        SluiceServer sluice = sluice("mongodb+srv://" + NAME + "/?tls=false&heartbeatFrequencyMS=500");

        // the seeds' names resolve through dnsServers; the members then name each other 127.0.0.1:port
        await().atMost(WAIT).untilAsserted(() -> {
            TopologyDescription d = sluice.cluster().description();
            assertThat(d.type()).isEqualTo(TopologyType.REPLICA_SET_WITH_PRIMARY);
            assertThat(d.setName()).as("replicaSet from the TXT record").isEqualTo("rs0");
            assertThat(d.servers().keySet()).containsExactlyInAnyOrder(address(rs.member(0)), address(rs.member(1)),
                    address(rs.member(2)));
        });
        assertThat(sluice.cluster().pollingSrv()).as("a replica set is never rescanned").isFalse();

        MongoCollection<Document> c = client(sluice).getDatabase("db").getCollection("c");
        c.insertOne(new Document("_id", 1));
        rs.members().forEach(SimulatedMember::resetCommandCounts);
        for (int i = 0; i < 10; i++) {
            assertThat(c.withReadPreference(ReadPreference.secondary()).find().first()).isNotNull();
        }
        assertThat(rs.member(0).commandCount("find")).isZero();
        assertThat(rs.member(1).commandCount("find") + rs.member(2).commandCount("find")).isEqualTo(10);
    }

    @Test
    void aShardedClusterGainsAndLosesMongosAsTheSrvRecordsChange() throws Exception {
        FakeMongod a = closed(FakeMongod.start());
        FakeMongod b = closed(FakeMongod.start());
        ServerAddress addressA = new ServerAddress("mongos-a.sluice.test", a.port());
        ServerAddress addressB = new ServerAddress("mongos-b.sluice.test", b.port());
        dns.srv(SRV, 0, target("mongos-a", a.port()));
        SluiceServer sluice = sluice("mongodb+srv://" + NAME + "/?tls=false&heartbeatFrequencyMS=500");
        assertThat(sluice.cluster().description().type()).isEqualTo(TopologyType.SHARDED);
        assertThat(sluice.cluster().description().servers().keySet()).containsExactly(addressA);
        assertThat(sluice.cluster().pollingSrv()).isTrue();
        MongoCollection<Document> c = client(sluice).getDatabase("db").getCollection("c");
        c.find().first();
        assertThat(a.count("find")).isEqualTo(1);

        dns.srv(SRV, 0, target("mongos-a", a.port()), target("mongos-b", b.port()));
        await().atMost(WAIT).until(() -> type(sluice, addressB) == ServerType.MONGOS);

        dns.srv(SRV, 0, target("mongos-b", b.port()));
        await().atMost(WAIT).until(() -> !sluice.cluster().description().servers().containsKey(addressA));
        assertThat(sluice.cluster().description().servers().keySet()).containsExactly(addressB);
        await().atMost(WAIT).until(() -> a.currentConnections() == 0); // its monitor and pool are closed

        long findsOnA = a.count("find");
        for (int i = 0; i < 5; i++) {
            c.find().first();
        }
        assertThat(b.count("find")).as("operations go to the mongos DNS lists now").isEqualTo(5);
        assertThat(a.count("find")).isEqualTo(findsOnA);

        // DNS that stops answering changes nothing
        dns.dropQueries(true);
        int queries = dns.udpQueries();
        await().atMost(WAIT).until(() -> dns.udpQueries() >= queries + 2);
        assertThat(sluice.cluster().description().servers().keySet()).containsExactly(addressB);
        c.find().first();
    }

    @Test
    void srvServiceNameAndSrvMaxHostsAreHonoured() throws Exception {
        FakeMongod a = closed(FakeMongod.start());
        FakeMongod b = closed(FakeMongod.start());
        FakeMongod c = closed(FakeMongod.start());
        dns.srv("_db._tcp." + NAME, 0, target("mongos-a", a.port()), target("mongos-b", b.port()),
                target("mongos-c", c.port()));
        SluiceServer sluice = sluice("mongodb+srv://" + NAME + "/?tls=false&srvServiceName=db&srvMaxHosts=2");
        assertThat(sluice.cluster().description().servers()).hasSize(2);
        assertThat(sluice.cluster().description().type()).isEqualTo(TopologyType.SHARDED);
        client(sluice).getDatabase("db").getCollection("c").find().first();
        assertThat(a.count("find") + b.count("find") + c.count("find")).isEqualTo(1);

        // a fourth record: the topology stays at srvMaxHosts
        FakeMongod d = closed(FakeMongod.start());
        dns.srv("_db._tcp." + NAME, 0, target("mongos-a", a.port()), target("mongos-b", b.port()),
                target("mongos-c", c.port()), target("mongos-d", d.port()));
        int queries = dns.udpQueries();
        await().atMost(WAIT).until(() -> dns.udpQueries() >= queries + 3);
        assertThat(sluice.cluster().description().servers()).hasSize(2);
    }

    @Test
    void aFailedLookupOrWhatSluiceCannotDoYetStopsTheStartSayingWhy() {
        // nothing at that name
        assertThatThrownBy(() -> sluice("mongodb+srv://" + NAME + "/?tls=false"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SRV).hasMessageContaining("NXDomain");

        // DNS does not answer: the start ends after about dnsTimeoutMS, naming the servers
        dns.srv(SRV, 60, target("m0", 27017));
        dns.dropQueries(true);
        long started = System.nanoTime();
        assertThatThrownBy(() -> sluice("mongodb+srv://" + NAME + "/?tls=false"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(dns.hostAndPort())
                .hasMessageContaining("dnsTimeoutMS");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        dns.dropQueries(false);
    }

    @Test
    void aTxtRecordSayingLoadBalancedMakesTheOneSrvTargetALoadBalancerThatIsNeitherMonitoredNorRescanned()
            throws Exception {
        FakeMongod mongos = closed(FakeMongod.start());
        var service = mongos.loadBalanced(1);
        dns.txt(NAME, "loadBalanced=true").srv(SRV, 60, target("lb", mongos.port()));
        SluiceServer sluice = sluice("mongodb+srv://" + NAME + "/?tls=false");
        assertThat(sluice.cluster().description().type()).isEqualTo(TopologyType.LOAD_BALANCED);
        assertThat(sluice.cluster().pollingSrv()).isFalse();
        client(sluice).getDatabase("db").getCollection("c").find().first();
        assertThat(service.balancedHellos()).isPositive();
        assertThat(service.otherHellos()).isZero();
    }

    @Test
    void sluiceServeExitsWithCode2WhenTheLookupFails(@TempDir Path dir)
            throws Exception {
        Path yaml = dir.resolve("sluice.yaml");
        Files.writeString(yaml, "dnsServers: [\"" + dns.hostAndPort() + "\"]\ndnsTimeoutMS: 500\n");
        StringWriter err = new StringWriter();
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = new CommandLine(new Main()).setErr(new PrintWriter(err))
                    .execute("serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--config", yaml.toString(),
                            "--upstream", "mongodb+srv://" + NAME + "/?tls=false");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("sluice: invalid configuration").contains(SRV);
    }

    private static ServerType type(SluiceServer sluice, ServerAddress address) {
        ServerDescription d = sluice.cluster().description().server(address);
        return d == null ? null : d.type();
    }

    private static ServerAddress address(SimulatedMember member) {
        return new ServerAddress("127.0.0.1", member.port());
    }
}
