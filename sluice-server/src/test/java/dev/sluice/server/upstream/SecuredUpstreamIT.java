package dev.sluice.server.upstream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.testing.TestCertificates;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sluice in front of a secured upstream (another Sluice with authorization enabled and requireTLS), with the real
 * Java driver over real sockets: TLS with tlsCAFile and hostname verification, SCRAM with speculative
 * authentication, a wrong password, an unknown CA and a hostname mismatch; the password in no log line and no
 * admin reply.
 */
class SecuredUpstreamIT {
    private static final String PASSWORD = "s3cr3t-Upstream-pw";

    @TempDir
    Path dir;
    private TestCertificates certs;
    private final List<AutoCloseable> open = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    /** net.tls.provider of every Sluice the test starts (upstream and front side). */
    private String provider;

    /** A Sluice config with net.tls {@code tls} on the test's provider. */
    private ConfigFile tlsConfig(String extra, String tls) {
        return ConfigFile.parse(extra + "net:\n  tls: {provider: " + provider + (tls.isEmpty() ? "" : ", " + tls)
                + "}\n", "test");
    }

    private SluiceHarness started(String upstreamUri, ConfigFile config) throws InterruptedException {
        SluiceHarness sluice = keep(SluiceHarness.start(upstreamUri, config));
        assertThat(sluice.server().tlsProvider().name()).isEqualTo(provider);
        return sluice;
    }

    @BeforeEach
    void setUp() {
        certs = TestCertificates.create(dir);
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A Sluice with authorization and requireTLS presenting {@code certificate}, with the user svc (root). */
    private SluiceHarness securedUpstream(TestCertificates.Issued certificate) throws Exception {
        return securedUpstream(certificate, true);
    }

    private SluiceHarness securedUpstream(TestCertificates.Issued certificate, boolean createUser) throws Exception {
        Path pem = certs.writePem("upstream-" + certificate.serial() + ".pem", certificate);
        SluiceHarness upstream = started(null, tlsConfig("security:\n  authorization: enabled\n",
                "mode: requireTLS, certificateKeyFile: '" + pem + "'"));
        if (!createUser) {
            return upstream;
        }
        var a = upstream.server().mongoAddress();
        // the localhost exception: the first user, from loopback, over TLS with the test CA
        try (MongoClient anonymous = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString("mongodb://127.0.0.1:" + a.getPort()
                        + "/?tls=true&tlsAllowInvalidHostnames=true"))
                .applyToSslSettings(s -> s.context(certs.clientContext(null)).invalidHostNameAllowed(true))
                .build())) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "svc").append("pwd", PASSWORD)
                    .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
        }
        return upstream;
    }

    private static int port(SluiceHarness upstream) {
        return upstream.server().mongoAddress().getPort();
    }

    /** A Sluice whose upstream is {@code host:port} with these credentials and options. */
    private SluiceHarness front(String userinfo, String host, int port, String options) throws Exception {
        String uri = "mongodb://" + userinfo + "@" + host + ":" + port + "/?appName=front&serverSelectionTimeoutMS=3000"
                + "&connectTimeoutMS=3000&heartbeatFrequencyMS=500&" + options;
        return started(uri, tlsConfig("", ""));
    }

    private MongoClient driver(SluiceHarness front) {
        return keep(MongoClients.create(front.uri("appName=app&serverSelectionTimeoutMS=5000&retryReads=false"
                + "&retryWrites=false")));
    }

    private String tlsCa() {
        return "tls=true&tlsCAFile=" + certs.caFile();
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void crudThroughTlsAndScramWithSpeculativeAuthentication(String provider) throws Exception {
        this.provider = provider;
        SluiceHarness upstream = securedUpstream(certs.server());
        var authenticator = upstream.server().authenticator();
        long speculativeBefore = authenticator.speculativeStarts();
        long saslStartsBefore = authenticator.saslStarts();
        SluiceHarness front = front("svc:" + PASSWORD, "localhost", port(upstream), tlsCa() + "&authSource=admin");
        MongoClient client = driver(front);
        MongoCollection<Document> c = client.getDatabase("shop").getCollection("orders");
        c.insertOne(new Document("_id", 1).append("item", "tea"));
        c.updateOne(new Document("_id", 1), new Document("$set", new Document("qty", 3)));
        assertThat(c.find(new Document("_id", 1)).first()).containsEntry("qty", 3);
        c.deleteOne(new Document("_id", 1));
        assertThat(c.countDocuments()).isZero();

        assertThat(authenticator.speculativeStarts()).as("speculative authentication in the hello")
                .isGreaterThan(speculativeBefore);
        assertThat(authenticator.saslStarts()).as("no separate saslStart round trip").isEqualTo(saslStartsBefore);

        try (MongoClient operator = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString("mongodb://svc:" + PASSWORD + "@localhost:"
                        + port(upstream) + "/?tls=true&authSource=admin"))
                .applyToSslSettings(s -> s.context(certs.clientContext(null))).build())) {
            Document reply = operator.getDatabase("admin").runCommand(new Document("listConnections", 1)
                    .append("filter", new Document("appName", "front")));
            List<Document> rows = reply.get("cursor", Document.class).getList("firstBatch", Document.class);
            assertThat(rows).as("the front's backend and monitoring connections").isNotEmpty();
            assertThat(rows).as("pooled connections authenticated as the service user")
                    .anySatisfy(r -> assertThat(String.valueOf(r.get("username"))).contains("svc"));
        }

        Document authInfo = client.getDatabase("admin").runCommand(new Document("connectionStatus", 1)
                .append("showPrivileges", true)).get("authInfo", Document.class);
        assertThat(authInfo.getList("authenticatedUsers", Document.class))
                .as("the client's own connection to the front (no login), not the front's service user upstream")
                .isEmpty();

        Document poolStats = client.getDatabase("admin").runCommand(new Document("connPoolStats", 1));
        Document status = client.getDatabase("admin").runCommand(new Document("serverStatus", 1));
        assertThat(poolStats.toJson()).doesNotContain(PASSWORD);
        assertThat(status.toJson()).doesNotContain(PASSWORD);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).isNotEmpty()
                .noneMatch(m -> m.contains(PASSWORD));
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void aWrongPasswordIsAnAuthenticationErrorNamingTheHostAndNothingLoops(String provider) throws Exception {
        this.provider = provider;
        SluiceHarness upstream = securedUpstream(certs.server());
        var authenticator = upstream.server().authenticator();
        SluiceHarness front = front("svc:wrong-" + PASSWORD, "localhost", port(upstream), tlsCa());
        MongoClient client = driver(front);
        long before = authenticator.speculativeStarts() + authenticator.saslStarts();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.getDatabase("shop").getCollection("orders").find().first())
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(18);
                        assertThat(e.getErrorMessage()).contains("authentication to upstream localhost:" + port(upstream))
                                .contains("svc").doesNotContain(PASSWORD);
                    });
        }
        long attempts = authenticator.speculativeStarts() + authenticator.saslStarts() - before;
        assertThat(attempts).as("one authentication per failed operation, no retry loop").isBetween(1L, 3L);
        // nothing retries on its own: no new attempt while no client asks
        long settled = authenticator.speculativeStarts() + authenticator.saslStarts();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> authenticator.speculativeStarts() + authenticator.saslStarts() == settled);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(PASSWORD))
                .anyMatch(m -> m.contains("authentication to upstream localhost:" + port(upstream)));
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void aHostnameMismatchFailsSayingSoAndPassesWithTlsAllowInvalidHostnames(String provider) throws Exception {
        this.provider = provider;
        SluiceHarness upstream = securedUpstream(certs.serverFor("db.elsewhere.example"));
        SluiceHarness strict = front("svc:" + PASSWORD, "localhost", port(upstream), tlsCa());
        MongoClient client = driver(strict);
        assertThatThrownBy(() -> client.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoException.class)
                .hasMessageContaining("localhost:" + port(upstream))
                .hasMessageContaining("does not match the host name");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("upstream localhost:" + port(upstream) + ": TLS handshake failed")
                        && m.contains("does not match the host name"));

        SluiceHarness lenient = front("svc:" + PASSWORD, "localhost", port(upstream),
                tlsCa() + "&tlsAllowInvalidHostnames=true");
        driver(lenient).getDatabase("shop").getCollection("orders").insertOne(new Document("ok", 1));
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void anUnknownCaFailsSayingSoAndPassesWithTlsAllowInvalidCertificates(String provider) throws Exception {
        this.provider = provider;
        SluiceHarness upstream = securedUpstream(certs.server());
        java.nio.file.Files.createDirectories(dir.resolve("other"));
        Path otherCa = TestCertificates.create(dir.resolve("other")).caFile();
        SluiceHarness strict = front("svc:" + PASSWORD, "localhost", port(upstream), "tls=true&tlsCAFile=" + otherCa);
        MongoClient client = driver(strict);
        assertThatThrownBy(() -> client.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoException.class)
                .hasMessageContaining("localhost:" + port(upstream))
                .hasMessageContaining("not signed by a trusted CA");

        SluiceHarness lenient = front("svc:" + PASSWORD, "localhost", port(upstream),
                "tls=true&tlsCAFile=" + otherCa + "&tlsAllowInvalidCertificates=true");
        driver(lenient).getDatabase("shop").getCollection("orders").insertOne(new Document("ok", 1));
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void anExpiredCertificateFailsSayingSo(String provider) throws Exception {
        this.provider = provider;
        SluiceHarness upstream = securedUpstream(certs.expiredServer(), false);
        MongoClient client = driver(front("svc:" + PASSWORD, "localhost", port(upstream), tlsCa()));
        // as mongos when it cannot target a host: 133 FailedToSatisfyReadPreference, the TLS cause per host in the text
        assertThatThrownBy(() -> client.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(133);
                    assertThat(e.getErrorCodeName()).isEqualTo("FailedToSatisfyReadPreference");
                    assertThat(e.getErrorMessage()).contains("serverSelectionTimeoutMS")
                            .contains("localhost:" + port(upstream) + ": TLS handshake failed: the upstream's "
                                    + "certificate has expired");
                });
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void aClientCertificateFromTlsCertificateKeyFileWithItsPassword(String provider) throws Exception {
        this.provider = provider;
        Path serverPem = certs.writePem("server.pem", certs.server());
        SluiceHarness upstream = started(null, tlsConfig("", "mode: requireTLS, certificateKeyFile: '" + serverPem
                + "', CAFile: '" + certs.caFile() + "'"));
        String keyPassword = "key-Pa55word";
        Path clientPem = certs.writeEncryptedPem("front-client.pem", certs.client("sluice-front"), keyPassword);

        MongoClient without = driver(keep(SluiceHarness.start("mongodb://localhost:" + port(upstream)
                + "/?serverSelectionTimeoutMS=3000&" + tlsCa(), tlsConfig("", ""))));
        assertThatThrownBy(() -> without.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoException.class).hasMessageContaining("upstream localhost:" + port(upstream))
                .hasMessageContaining("refused Sluice's client certificate");

        MongoClient with = driver(keep(SluiceHarness.start("mongodb://localhost:" + port(upstream)
                + "/?serverSelectionTimeoutMS=3000&" + tlsCa() + "&tlsCertificateKeyFile=" + clientPem
                + "&tlsCertificateKeyFilePassword=" + keyPassword, tlsConfig("", ""))));
        with.getDatabase("shop").getCollection("orders").insertOne(new Document("ok", 1));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(keyPassword));
    }
}
