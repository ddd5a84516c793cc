package dev.sluice.server.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.sluice.server.testing.TestCertificates;
import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as operators run it: ready line on stdout, clean stop on SIGTERM, clear config errors. */
class ServeCommandIT {
    private static final Pattern READY = Pattern.compile("^sluice ready mongodb://([^/]+)/ http://([^/]+)/$");
    private static final Pattern READY_HTTPS = Pattern.compile(
            "^sluice ready mongodb://([^/]+)/ http://([^/]+)/ https://([^/]+)/$");

    @TempDir
    Path dir;

    private static Path jar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("sluice-server-.*-all\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("fat jar not built"));
        }
    }

    private static Process start(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 3];
        command[0] = java;
        command[1] = "-jar";
        command[2] = jar().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(new File("target/serve-it.log"))).start();
    }

    @Test
    void servePrintsTheReadyLineServesADriverAndStopsOnSigterm() throws Exception {
        Process p = start("serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isNotNull().matches(READY);
            Matcher m = READY.matcher(line);
            assertThat(m.matches()).isTrue();
            try (MongoClient client = MongoClients.create("mongodb://" + m.group(1) + "/")) {
                client.getDatabase("test").getCollection("cli").insertOne(new Document("x", 1));
                assertThat(client.getDatabase("test").getCollection("cli").countDocuments()).isEqualTo(1);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stops within 20 s of SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void invalidOptionExitsWithCodeTwoAndNamesIt() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "serve", "--listen", "127.0.0.1:0", "--upstream", "mongodb://db1/?maxPoolSize=2&minPoolSize=5")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("invalid configuration").contains("minPoolSize");
    }

    /**
     * The jar as shipped (no BouncyCastle on its class path): an encrypted PKCS#8 key, requireTLS, the
     * https connector as the ready line's fifth word, and SIGHUP reloading the certificate.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "--tlsProvider {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jdk", "openssl"})
    void serveWithTlsPrintsTheHttpsUrlAndReloadsOnSighup(String provider) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued first = certs.server();
        Path pem = certs.writeEncryptedPem("server.pem", first, "pem-pass");
        Process p = start("serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                "--tlsMode", "requireTLS", "--tlsCertificateKeyFile", pem.toString(),
                "--tlsCertificateKeyFilePassword", "pem-pass", "--tlsProvider", provider);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isNotNull().matches(READY_HTTPS);
            Matcher m = READY_HTTPS.matcher(line);
            assertThat(m.matches()).isTrue();
            SSLContext ssl = certs.clientContext(null);
            try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString("mongodb://" + m.group(1) + "/"))
                    .applyToSslSettings(b -> b.enabled(true).context(ssl)).build())) {
                client.getDatabase("test").getCollection("tls").insertOne(new Document("x", 1));
                assertThat(client.getDatabase("test").getCollection("tls").countDocuments()).isEqualTo(1);
                assertThat(client.getDatabase("admin").runCommand(new Document("serverStatus", 1))
                        .get("security", Document.class).getString("tlsProvider")).isEqualTo(provider);
            }
            HttpResponse<String> api = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create("https://" + m.group(3) + "/api/connections"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body()).containsPattern("\"https-\\d+\"");
            assertThat(presentedSerial(ssl, m.group(1))).isEqualTo(first.serial());

            TestCertificates.Issued second = certs.server();
            certs.writeEncryptedPem("server.pem", second, "pem-pass");
            assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> second.serial().equals(presentedSerial(ssl, m.group(1))));
            assertThat(presentedSerial(ssl, m.group(3))).isEqualTo(second.serial());
            assertThat(p.isAlive()).as("SIGHUP reloads, it does not stop Sluice").isTrue();
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsTheStartNamingTheOption() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path pem = certs.writeMismatchedPem("server.pem", certs.server(), certs.server());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--tlsMode", "requireTLS",
                "--tlsCertificateKeyFile", pem.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("invalid configuration").contains("net.tls.certificateKeyFile")
                .contains(pem.toString()).contains("does the private key belong");
    }

    /** Without BouncyCastle (the shipped jar) the JDK reads PKCS#8 only: a PKCS#1 key is refused with the conversion. */
    @Test
    void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path pem = certs.writePkcs1Pem("server.pem", certs.server());
        assertThat(java.nio.file.Files.readString(pem)).contains("-----BEGIN RSA PRIVATE KEY-----");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--tlsMode", "preferTLS",
                "--tlsCertificateKeyFile", pem.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("net.tls.certificateKeyFile").contains(pem.toString()).contains("openssl pkcs8 -topk8");
    }

    private static BigInteger presentedSerial(SSLContext ssl, String hostAndPort) throws Exception {
        int colon = hostAndPort.lastIndexOf(':');
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)))) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
