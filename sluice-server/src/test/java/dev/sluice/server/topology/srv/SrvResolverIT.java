package dev.sluice.server.topology.srv;

import dev.sluice.server.net.Transport;
import dev.sluice.server.config.ConnectionString;
import dev.sluice.server.testing.TestDnsServer;
import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SrvResolver over real UDP/TCP sockets against {@link TestDnsServer}, on the production transport's event loop. */
class SrvResolverIT {

    private EventLoopGroup group;
    private TestDnsServer dns;
    private SrvResolver resolver;

    @BeforeEach
    void start() {
        group = Transport.detect().newGroup(1);
        dns = TestDnsServer.start();
        resolver = new SrvResolver(group.next(), SrvSettings.of(List.of(dns.hostAndPort()), 2_000L), new Random(7));
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SrvResolution resolve(String uri) {
        return resolver.resolveBlocking(SrvQuery.of(ConnectionString.parse(uri)));
    }

    @Test
    void resolvesTheSeedListAndTheTxtOptions() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 300, "db1.sluice.test:27017", "DB2.sluice.test.:27018")
                .txt("c1.sluice.test", "replicaSet=repl0&authSource=thisDB");

        SrvResolution r = resolve("mongodb+srv://c1.sluice.test/");

        assertThat(r.seeds()).containsExactly(new ServerAddress("db1.sluice.test", 27017),
                new ServerAddress("db2.sluice.test", 27018));
        assertThat(r.txt().replicaSet()).isEqualTo("repl0");
        assertThat(r.replicaSet()).isEqualTo("repl0");
        assertThat(r.authSource()).isEqualTo("thisDB");
        assertThat(r.loadBalanced()).isFalse();
        assertThat(r.records().minTtlSeconds()).isEqualTo(300);
    }

    @Test
    void withoutATxtRecordThereAreNoDefaultOptions() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017");
        assertThat(resolve("mongodb+srv://c1.sluice.test").txt()).isEqualTo(TxtOptions.NONE);
    }

    @Test
    void txtStringsOfOneRecordAreJoinedAndTheUriOverridesThem() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017")
                .txt("c1.sluice.test", "replicaS", "et=rep", "l0&authSource=", "thisDB");

        SrvResolution r = resolve("mongodb+srv://c1.sluice.test/?authSource=otherDB");

        assertThat(r.txt().replicaSet()).isEqualTo("repl0");
        assertThat(r.txt().authSource()).isEqualTo("thisDB");
        assertThat(r.authSource()).as("the URI's option wins").isEqualTo("otherDB");
    }

    @Test
    void srvServiceNameChangesTheNameAsked() {
        dns.srv("_customname._tcp.c1.sluice.test", 60, "db9.sluice.test:27019");
        assertThat(resolve("mongodb+srv://c1.sluice.test/?srvServiceName=customname").seeds())
                .containsExactly(new ServerAddress("db9.sluice.test", 27019));
    }

    @Test
    void srvMaxHostsLimitsTheSeedsToARandomSubset() {
        String[] targets = {"db1.sluice.test:1", "db2.sluice.test:2", "db3.sluice.test:3", "db4.sluice.test:4",
                "db5.sluice.test:5"};
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, targets);
        Set<ServerAddress> seen = new HashSet<>();
        Set<List<ServerAddress>> picks = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SrvResolution r = resolve("mongodb+srv://c1.sluice.test/?srvMaxHosts=2");
            assertThat(r.seeds()).hasSize(2).doesNotHaveDuplicates().isSubsetOf(r.records().hosts());
            assertThat(r.records().hosts()).hasSize(5);
            seen.addAll(r.seeds());
            picks.add(r.seeds());
        }
        assertThat(seen.size()).as("hosts seen over 20 resolutions").isGreaterThan(2);
        assertThat(picks.size()).as("distinct seed lists").isGreaterThan(1);
        assertThat(resolve("mongodb+srv://c1.sluice.test/?srvMaxHosts=5").seeds()).hasSize(5);
        assertThat(resolve("mongodb+srv://c1.sluice.test/?srvMaxHosts=0").seeds()).hasSize(5);
    }

    @Test
    void aHostOutsideTheParentDomainIsRefused() {
        dns.srv("_mongodb._tcp.blogs.mongodb.test", 60, "db1.mongodb.test:27017", "blogs.evil.test:27017");
        assertThatThrownBy(() -> resolve("mongodb+srv://blogs.mongodb.test"))
                .isInstanceOf(SrvLookupException.class)
                .hasMessageContaining("_mongodb._tcp.blogs.mongodb.test")
                .hasMessageContaining("'blogs.evil.test'").hasMessageContaining("'mongodb.test'");

        dns.srv("_mongodb._tcp.mongo.local", 60, "mongo.local:27017");
        assertThatThrownBy(() -> resolve("mongodb+srv://mongo.local"))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("fewer than 3 labels");
    }

    @Test
    void twoTxtRecordsAreRefused() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017")
                .txt("c1.sluice.test", "replicaSet=repl0").txt("c1.sluice.test", "authSource=otherDB");
        assertThatThrownBy(() -> resolve("mongodb+srv://c1.sluice.test"))
                .isInstanceOf(SrvLookupException.class)
                .hasMessageContaining("c1.sluice.test").hasMessageContaining("2 TXT records");
    }

    @Test
    void aTxtOptionOtherThanAuthSourceReplicaSetLoadBalancedIsRefused() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017").txt("c1.sluice.test", "ssl=false");
        assertThatThrownBy(() -> resolve("mongodb+srv://c1.sluice.test"))
                .isInstanceOf(SrvLookupException.class)
                .hasMessageContaining("c1.sluice.test").hasMessageContaining("'ssl' is not allowed");
    }

    @Test
    void txtOptionsAreCheckedAgainstSrvMaxHostsAndTheHostCount() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017", "db2.sluice.test:27017")
                .txt("c1.sluice.test", "replicaSet=repl0");
        assertThatThrownBy(() -> resolve("mongodb+srv://c1.sluice.test/?srvMaxHosts=1"))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("srvMaxHosts=1")
                .hasMessageContaining("replicaSet=repl0");

        dns.remove("c1.sluice.test").txt("c1.sluice.test", "loadBalanced=true");
        assertThatThrownBy(() -> resolve("mongodb+srv://c1.sluice.test"))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("loadBalanced=true needs exactly one");
        assertThat(resolve("mongodb+srv://c1.sluice.test/?loadBalanced=false").seeds()).hasSize(2);
    }

    @Test
    void aNameWithoutSrvRecordsIsAnErrorNamingIt() {
        assertThatThrownBy(() -> resolve("mongodb+srv://nothing.sluice.test"))
                .isInstanceOf(SrvLookupException.class)
                .hasMessageContaining("'_mongodb._tcp.nothing.sluice.test' found no SRV records")
                .hasMessageContaining("NXDomain");
    }

    @Test
    void aServerThatDoesNotAnswerTimesOutWithAnErrorNamingTheName() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017");
        dns.dropQueries(true);
        try (SrvResolver quick = new SrvResolver(group.next(), SrvSettings.of(List.of(dns.hostAndPort()), 300L))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> quick.resolveBlocking(SrvQuery.of("c1.sluice.test")))
                    .isInstanceOf(SrvLookupException.class)
                    .hasMessageContaining("'_mongodb._tcp.c1.sluice.test'")
                    .hasMessageContaining(dns.hostAndPort() + ": timed out after 300 ms")
                    .hasMessageContaining("dnsTimeoutMS 300")
                    .satisfies(e -> assertThat(((SrvLookupException) e).dnsName())
                            .isEqualTo("_mongodb._tcp.c1.sluice.test"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
        }
        assertThat(dns.udpQueries()).isGreaterThanOrEqualTo(2); // SRV and TXT both asked
    }

    @Test
    void aSilentServerIsSkippedForTheNextOne() {
        try (TestDnsServer silent = TestDnsServer.start();
             SrvResolver two = new SrvResolver(group.next(),
                     SrvSettings.of(List.of(silent.hostAndPort(), dns.hostAndPort()), 1_000L))) {
            silent.dropQueries(true);
            dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017");

            assertThat(two.resolveBlocking(SrvQuery.of("c1.sluice.test")).seeds())
                    .containsExactly(new ServerAddress("db1.sluice.test", 27017));
            assertThat(silent.udpQueries()).isGreaterThan(0);
        }
    }

    @Test
    void aTruncatedUdpAnswerIsRetriedOverTcp() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017").txt("c1.sluice.test", "authSource=a");
        dns.truncateUdp(true);

        SrvResolution r = resolve("mongodb+srv://c1.sluice.test");

        assertThat(r.seeds()).containsExactly(new ServerAddress("db1.sluice.test", 27017));
        assertThat(r.authSource()).isEqualTo("a");
        assertThat(dns.tcpQueries()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void worksOnAnNioEventLoopToo() {
        dns.srv("_mongodb._tcp.c1.sluice.test", 60, "db1.sluice.test:27017").txt("c1.sluice.test", "authSource=a");
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SrvResolver onNio = new SrvResolver(nio.next(), SrvSettings.of(List.of(dns.hostAndPort()), 2_000L))) {
            dns.truncateUdp(true); // UDP then TCP, both on NIO channels
            SrvResolution r = onNio.resolveBlocking(SrvQuery.of("c1.sluice.test"));
            assertThat(r.seeds()).containsExactly(new ServerAddress("db1.sluice.test", 27017));
            assertThat(r.authSource()).isEqualTo("a");
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theBlockingFormRefusesToRunOnTheEventLoop() throws Exception {
        Throwable thrown = resolver.eventLoop().submit(() -> {
            try {
                resolver.resolveBlocking(SrvQuery.of("c1.sluice.test"));
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("use resolve()");
    }
}
