package dev.sluice.server.security.tls;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.testing.TestCertificates;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MONGODB-X509 with the real Java driver: the driver authenticating to a Sluice with --auth and client certificates
 * (the user on $external is the certificate's RFC 2253 subject, as on mongod), wrong certificates and unknown users
 * refused with AuthenticationFailed (18), and the chain driver --client certificate--> Sluice front --X509--> Sluice
 * upstream with --auth, where the front's backend connections authenticate with the certificate of its upstream URI's
 * tlsCertificateKeyFile (speculativeAuthenticate in the hello, authenticate when not answered).
 */
class X509AuthIT {
    private static final String ADMIN_PASSWORD = "x509-Admin-pw";

    @TempDir
    Path dir;
    private TestCertificates certs;
    private Path serverPem;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void certificates() {
        certs = TestCertificates.create(dir);
        serverPem = certs.writePem("server.pem", certs.server());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A Sluice with --auth, requireTLS and client certificates verified against the test CA. */
    private SluiceHarness securedSluice(String upstreamUri, String provider) throws InterruptedException {
        return keep(SluiceHarness.start(upstreamUri, ConfigFile.parse("security: {authorization: enabled}\n"
                + "net:\n  tls: {provider: " + provider + ", mode: requireTLS, certificateKeyFile: '" + serverPem
                + "', CAFile: '" + certs.caFile() + "'}\n", "test")));
    }

    private MongoClient client(SluiceHarness sluice, SSLContext ssl, MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(sluice.uri("appName=x509test&retryReads=false")))
                .applyToSslSettings(s -> s.enabled(true).context(ssl))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS));
        if (credential != null) {
            b.credential(credential);
        }
        return keep(MongoClients.create(b.build()));
    }

    /** The first user through the localhost exception (SCRAM, root), then {@code subjects} as users on $external. */
    private void createUsers(SluiceHarness sluice, TestCertificates.Issued... subjects) {
        SSLContext ssl = certs.clientContext(certs.client("admin"));
        client(sluice, ssl, null).getDatabase("admin").runCommand(new Document("createUser", "admin")
                .append("pwd", ADMIN_PASSWORD).append("roles", List.of("root")));
        MongoClient admin = client(sluice, ssl, MongoCredential.createCredential("admin", "admin",
                ADMIN_PASSWORD.toCharArray()));
        for (TestCertificates.Issued subject : subjects) {
            admin.getDatabase("$external").runCommand(new Document("createUser", subjectOf(subject))
                    .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
        }
    }

    private static List<String> ownUsernames(MongoClient client) {
        Document reply = client.getDatabase("admin").runCommand(new Document("listConnections", 1)
                .append("filter", new Document("appName", "x509test")));
        List<String> names = new ArrayList<>();
        for (Document row : reply.get("cursor", Document.class).getList("firstBatch", Document.class)) {
            names.add(String.valueOf(row.get("username")));
        }
        return names;
    }

    private static String subjectOf(TestCertificates.Issued issued) {
        return issued.certificate().getSubjectX500Principal().getName();
    }

    private static void crud(MongoClient client) {
        MongoCollection<Document> c = client.getDatabase("shop").getCollection("orders");
        c.insertOne(new Document("_id", 1).append("item", "tea"));
        assertThat(c.find(new Document("_id", 1)).first()).containsEntry("item", "tea");
        c.deleteOne(new Document("_id", 1));
        assertThat(c.countDocuments()).isZero();
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void theDriverAuthenticatesWithItsCertificateSubjectOnExternal(String provider) throws Exception {
        SluiceHarness sluice = securedSluice(null, provider);
        TestCertificates.Issued app = certs.client("app");
        createUsers(sluice, app);
        long speculativeBefore = sluice.server().authenticator().speculativeStarts();
        MongoClient client = client(sluice, certs.clientContext(app), MongoCredential.createMongoX509Credential());
        crud(client);
        assertThat(ownUsernames(client)).as("listConnections: the connection's user is the certificate's subject")
                .contains(subjectOf(app) + "@$external");
        assertThat(sluice.server().authenticator().speculativeStarts()).as("no SCRAM conversation for an X.509 client")
                .isEqualTo(speculativeBefore);

        // the user may be named, as long as it is the certificate's subject
        MongoClient named = client(sluice, certs.clientContext(app), MongoCredential.createMongoX509Credential(subjectOf(app)));
        crud(named);
    }

    @Test
    void anUnknownSubjectOrAnotherUsersNameIsAuthenticationFailed() throws Exception {
        SluiceHarness sluice = securedSluice(null, "auto");
        TestCertificates.Issued app = certs.client("app");
        createUsers(sluice, app);
        long failuresBefore = sluice.server().authenticator().failures();

        MongoClient stranger = client(sluice, certs.clientContext(certs.client("stranger")),
                MongoCredential.createMongoX509Credential());
        assertThatThrownBy(() -> stranger.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoSecurityException.class)
                .cause().isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(18);
                    assertThat(e.getErrorCodeName()).isEqualTo("AuthenticationFailed");
                });

        MongoClient impostor = client(sluice, certs.clientContext(certs.client("stranger")),
                MongoCredential.createMongoX509Credential(subjectOf(app)));
        assertThatThrownBy(() -> impostor.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoSecurityException.class)
                .cause().isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(18);
                    assertThat(e.getErrorMessage()).contains("There is no x.509 client certificate matching the user");
                });
        assertThat(sluice.server().authenticator().failures()).isGreaterThanOrEqualTo(failuresBefore + 2);
    }

    @Test
    void withoutVerifiedClientCertificatesX509IsRefused() throws Exception {
        // allowConnectionsWithoutCertificates: a client without a certificate connects, but cannot use X.509
        SluiceHarness sluice = keep(SluiceHarness.start(null, ConfigFile.parse("security: {authorization: enabled}\n"
                + "net:\n  tls: {mode: requireTLS, certificateKeyFile: '" + serverPem + "', CAFile: '" + certs.caFile()
                + "', allowConnectionsWithoutCertificates: true}\n", "test")));
        createUsers(sluice, certs.client("app"));
        MongoClient noCertificate = client(sluice, certs.clientContext(null), MongoCredential.createMongoX509Credential());
        assertThatThrownBy(() -> noCertificate.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOf(MongoSecurityException.class)
                .cause().isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(18);
                    assertThat(e.getErrorMessage()).contains("No verified subject name available from client");
                });
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void aFrontSluiceAuthenticatesToItsUpstreamWithTheCertificateOfItsUri(String provider) throws Exception {
        SluiceHarness upstream = securedSluice(null, provider);
        TestCertificates.Issued front = certs.client("sluice-front");
        createUsers(upstream, front);
        Path frontPem = certs.writePem("front-client.pem", front);
        var a = upstream.server().mongoAddress();
        // the sidecar: client certificates required from applications (no --auth of its own: with --auth it would
        // keep its users in its backend's reserved `sluice` database, which a Sluice upstream does not serve)
        SluiceHarness sidecar = keep(SluiceHarness.start("mongodb://localhost:" + a.getPort() + "/?appName=front"
                + "&tls=true&tlsCAFile=" + certs.caFile() + "&tlsCertificateKeyFile=" + frontPem
                + "&authMechanism=MONGODB-X509&serverSelectionTimeoutMS=5000", ConfigFile.parse("net:\n  tls: {provider: "
                + provider + ", mode: requireTLS, certificateKeyFile: '" + serverPem + "', CAFile: '" + certs.caFile()
                + "'}\n", "test")));

        MongoClient driver = client(sidecar, certs.clientContext(certs.client("app")), null);
        crud(driver);

        MongoClient upstreamAdmin = client(upstream, certs.clientContext(certs.client("admin")),
                MongoCredential.createCredential("admin", "admin", ADMIN_PASSWORD.toCharArray()));
        Document reply = upstreamAdmin.getDatabase("admin").runCommand(new Document("listConnections", 1)
                .append("filter", new Document("appName", "front")));
        List<Document> rows = reply.get("cursor", Document.class).getList("firstBatch", Document.class);
        assertThat(rows).as("the front's pooled connections are authenticated as its certificate's subject")
                .anySatisfy(r -> assertThat(String.valueOf(r.get("username"))).isEqualTo(subjectOf(front) + "@$external"));
    }

    @Test
    void aFrontWhoseCertificateSubjectIsNoUserUpstreamGetsAuthenticationFailedNamingTheHost() throws Exception {
        SluiceHarness upstream = securedSluice(null, "auto");
        createUsers(upstream);
        Path frontPem = certs.writePem("unknown-front.pem", certs.client("unknown-front"));
        var a = upstream.server().mongoAddress();
        SluiceHarness sidecar = keep(SluiceHarness.start("mongodb://localhost:" + a.getPort() + "/?tls=true&tlsCAFile="
                + certs.caFile() + "&tlsCertificateKeyFile=" + frontPem + "&authMechanism=MONGODB-X509"
                + "&serverSelectionTimeoutMS=3000", ConfigFile.EMPTY));
        MongoClient driver = keep(MongoClients.create(sidecar.uri("retryReads=false&serverSelectionTimeoutMS=5000")));
        assertThatThrownBy(() -> driver.getDatabase("shop").getCollection("orders").find().first())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(18);
                    assertThat(e.getErrorMessage()).contains("authentication to upstream localhost:" + a.getPort())
                            .contains("MONGODB-X509").contains("$external");
                });
    }
}
