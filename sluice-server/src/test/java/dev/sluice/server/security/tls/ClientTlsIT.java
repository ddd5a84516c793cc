package dev.sluice.server.security.tls;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.testing.TestCertificates;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS on the mongodb connector with the real Java driver over real sockets: requireTLS, preferTLS,
 * client certificates, and rotateCertificates (new connections get the new certificate, open ones
 * keep working).
 */
class ClientTlsIT {
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private TestCertificates certs;
    private Path serverPem;
    private TestCertificates.Issued server;

    @BeforeEach
    void certificates() {
        certs = TestCertificates.create(dir);
        server = certs.server();
        serverPem = certs.writePem("server.pem", server);
    }

    /** Sluice with net.tls {@code tls} on {@code provider}, checked to be the provider its connections use. */
    private static SluiceHarness start(String provider, String tls) throws InterruptedException {
        SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("net:\n  tls: {provider: " + provider + ", "
                + tls + "}\n", "test"));
        assertThat(sluice.server().tlsProvider().name()).isEqualTo(provider);
        return sluice;
    }

    /** A driver; TLS with {@code ssl} (trusting the test CA), plain when null. Short timeouts: a refusal shows fast. */
    private static MongoClient client(SluiceHarness sluice, SSLContext ssl, String appName) {
        return client(sluice, ssl, appName, null);
    }

    private static MongoClient client(SluiceHarness sluice, SSLContext ssl, String appName, MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(sluice.uri("appName=" + appName)))
                .applyToSslSettings(s -> s.enabled(ssl != null).context(ssl))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(2, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS));
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    private static void crud(MongoClient client, String collection) {
        MongoCollection<Document> c = client.getDatabase("test").getCollection(collection);
        c.insertOne(new Document("x", 1));
        assertThat(c.find(new Document("x", 1)).first()).isNotNull();
        c.updateOne(new Document("x", 1), new Document("$set", new Document("y", 2)));
        assertThat(c.countDocuments(new Document("y", 2))).isEqualTo(1);
        c.deleteMany(new Document());
        assertThat(c.countDocuments()).isZero();
    }

    private static void assertRefused(MongoClient client) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.getDatabase("admin").runCommand(new Document("ping", 1)))
                .isInstanceOf(MongoTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REFUSED_WITHIN);
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void requireTlsServesTlsDriversAndClosesPlainOnesCleanly(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "mode: requireTLS, certificateKeyFile: " + serverPem);
             MongoClient tls = client(sluice, certs.clientContext(null), "tls");
             MongoClient plain = client(sluice, null, "plain")) {
            crud(tls, "requireTls");
            Document security = tls.getDatabase("admin").runCommand(new Document("serverStatus", 1))
                    .get("security", Document.class);
            assertThat(security.getString("tlsProvider")).isEqualTo(provider);
            assertThat(security.getString("SSLServerSubjectName")).contains("CN=localhost");
            assertRefused(plain);
            await().atMost(REFUSED_WITHIN).until(() -> sluice.server().registry().limitCloses("mongodb", "net.tls.mode") > 0);
            crud(tls, "requireTls"); // the TLS client is not disturbed
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void preferTlsAcceptsTlsAndPlainOnTheSamePort(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "mode: preferTLS, certificateKeyFile: " + serverPem);
             MongoClient tls = client(sluice, certs.clientContext(null), "tls");
             MongoClient plain = client(sluice, null, "plain")) {
            crud(tls, "preferTlsTls");
            crud(plain, "preferTlsPlain");
            assertThat(sluice.server().registry().limitCloses("mongodb", "net.tls.mode")).isZero();
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void withCAFileAClientCertificateIsRequiredAndVerified(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "mode: requireTLS, certificateKeyFile: " + serverPem + ", CAFile: " + certs.caFile());
             MongoClient withCert = client(sluice, certs.clientContext(certs.client("app")), "withCert");
             MongoClient noCert = client(sluice, certs.clientContext(null), "noCert");
             MongoClient expired = client(sluice, certs.clientContext(certs.expiredClient()), "expired")) {
            crud(withCert, "clientCerts");
            assertRefused(noCert);
            assertRefused(expired);
            await().atMost(REFUSED_WITHIN).until(() -> sluice.server().registry().limitCloses("mongodb", "net.tls") >= 2);
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void allowConnectionsWithoutCertificatesStillVerifiesOnesPresented(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "mode: requireTLS, certificateKeyFile: " + serverPem + ", CAFile: "
                + certs.caFile() + ", allowConnectionsWithoutCertificates: true");
             MongoClient noCert = client(sluice, certs.clientContext(null), "noCert");
             MongoClient expired = client(sluice, certs.clientContext(certs.expiredClient()), "expired")) {
            crud(noCert, "optionalCerts");
            assertRefused(expired);
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void rotateCertificatesGivesNewConnectionsTheNewCertificateAndOpenOnesKeepWorking(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "mode: requireTLS, certificateKeyFile: " + serverPem);
             MongoClient old = client(sluice, certs.clientContext(null), "old")) {
            crud(old, "rotation");
            Set<String> oldConnections = connectionIds(old, "old");
            assertThat(oldConnections).isNotEmpty();
            assertThat(presentedSerial(sluice)).isEqualTo(server.serial());

            TestCertificates.Issued next = certs.server();
            certs.writePem("server.pem", next);
            assertThat(presentedSerial(sluice)).as("no reload yet").isEqualTo(server.serial());
            Document reply = old.getDatabase("admin").runCommand(new Document("rotateCertificates", 1)
                    .append("message", "test rotation"));
            assertThat(reply.get("ok", Number.class).intValue()).isEqualTo(1);

            assertThat(presentedSerial(sluice)).isEqualTo(next.serial());
            crud(old, "rotation");
            // (the driver may have opened one more meanwhile, its RTT monitor: what matters is that none was dropped)
            assertThat(connectionIds(old, "old")).as("the connections opened before the rotation still serve")
                    .containsAll(oldConnections);
            try (MongoClient fresh = client(sluice, certs.clientContext(null), "fresh")) {
                crud(fresh, "rotation");
            }

            // a rotation that fails keeps the current certificate and says why
            Files.writeString(serverPem, "half-written\n");
            assertThatThrownBy(() -> old.getDatabase("admin").runCommand(new Document("rotateCertificates", 1)))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(140);
                        assertThat(e.getErrorCodeName()).isEqualTo("InvalidSSLConfiguration");
                        assertThat(e.getErrorMessage()).contains("net.tls.certificateKeyFile").contains(serverPem.toString());
                    });
            assertThat(presentedSerial(sluice)).isEqualTo(next.serial());
            assertThatThrownBy(() -> old.getDatabase("test").runCommand(new Document("rotateCertificates", 1)))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void withAuthorizationRotateCertificatesNeedsItsActionOnTheCluster(String provider) throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("security: {authorization: enabled}\n"
                + "net:\n  tls: {provider: " + provider + ", mode: requireTLS, certificateKeyFile: " + serverPem + "}\n",
                "test"))) {
            SSLContext ssl = certs.clientContext(null);
            try (MongoClient anonymous = client(sluice, ssl, "anonymous")) {
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "root").append("pwd", "rootpw")
                        .append("roles", List.of("root")));
            }
            try (MongoClient root = client(sluice, ssl, "root", MongoCredential.createCredential("root", "admin", "rootpw".toCharArray()))) {
                root.getDatabase("admin").runCommand(new Document("createUser", "reader").append("pwd", "readerpw")
                        .append("roles", List.of(new Document("role", "readAnyDatabase").append("db", "admin"))));
                assertThat(root.getDatabase("admin").runCommand(new Document("rotateCertificates", 1))
                        .get("ok", Number.class).intValue()).isEqualTo(1);
            }
            try (MongoClient reader = client(sluice, ssl, "reader", MongoCredential.createCredential("reader", "admin", "readerpw".toCharArray()))) {
                assertThatThrownBy(() -> reader.getDatabase("admin").runCommand(new Document("rotateCertificates", 1)))
                        .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
            }
        }
    }

    /** The serial of the certificate a new TLS connection is given. */
    private BigInteger presentedSerial(SluiceHarness sluice) throws Exception {
        var address = sluice.server().mongoAddress();
        try (SSLSocket socket = (SSLSocket) certs.clientContext(null).getSocketFactory()
                .createSocket(address.getHostString(), address.getPort())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> connectionIds(MongoClient client, String appName) {
        Document reply = client.getDatabase("admin").runCommand(new Document("listConnections", 1));
        List<Document> rows = (List<Document>) ((Document) reply.get("cursor")).get("firstBatch");
        return rows.stream().filter(r -> appName.equals(r.getString("appName")))
                .map(r -> r.getString("connectionId")).collect(Collectors.toSet());
    }
}
