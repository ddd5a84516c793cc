package dev.sluice.server.http;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.testing.TestCertificates;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The https connector: the HTTP API over TLS, ids https-N, https:// origins, Secure session cookies. */
class HttpsConnectorIT {
    @TempDir
    Path dir;
    private TestCertificates certs;
    private Path serverPem;

    @BeforeEach
    void certificates() {
        certs = TestCertificates.create(dir);
        serverPem = certs.writePem("server.pem", certs.server());
    }

    private SluiceHarness start(String provider, String extra) throws InterruptedException {
        SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("https: 127.0.0.1:0\n" + extra
                + "net:\n  tls: {provider: " + provider + ", certificateKeyFile: " + serverPem + "}\n", "test"));
        assertThat(sluice.server().tlsProvider().name()).isEqualTo(provider);
        return sluice;
    }

    private HttpClient https() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(certs.clientContext(null))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI base(SluiceHarness sluice, String scheme) {
        var a = sluice.server().httpsAddress();
        return URI.create(scheme + "://127.0.0.1:" + a.getPort());
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void theApiAnswersOverTlsAndListsItsConnectionsAsHttpsN(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "")) {
            HttpResponse<String> list = https().send(HttpRequest.newBuilder(base(sluice, "https").resolve("/api/connections"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).containsPattern("\"https-\\d+\"");
            assertThat(sluice.server().readyLine())
                    .endsWith(" https://127.0.0.1:" + sluice.server().httpsAddress().getPort() + "/");
            assertThat(sluice.server().readyLine().split(" ")).hasSize(5);
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void theOwnOriginIsHttpsAndAPlainOriginIsForeign(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "")) {
            URI kill = base(sluice, "https").resolve("/api/connections/kill");
            String host = "127.0.0.1:" + sluice.server().httpsAddress().getPort();
            HttpResponse<String> own = https().send(post(kill, "https://" + host), HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).isEqualTo(200);
            HttpResponse<String> plainOrigin = https().send(post(kill, "http://" + host), HttpResponse.BodyHandlers.ofString());
            assertThat(plainOrigin.statusCode()).isEqualTo(403);
            assertThat(plainOrigin.body()).contains("https://" + host);
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void plainHttpOnTheHttpsPortFailsItsHandshakeAndIsCounted(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "")) {
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(base(sluice, "http").resolve("/api/connections"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sluice.server().registry().limitCloses("https", "net.tls") > 0);
        }
    }

    @ParameterizedTest(name = "net.tls.provider={0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void withAuthorizationTheSessionCookieIsSecure(String provider) throws Exception {
        try (SluiceHarness sluice = start(provider, "security: {authorization: enabled}\n")) {
            try (MongoClient anonymous = MongoClients.create(sluice.uri())) {
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "root").append("pwd", "rootpw")
                        .append("roles", List.of("root")));
            }
            HttpResponse<String> login = https().send(HttpRequest.newBuilder(base(sluice, "https").resolve("/api/login"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"root\", \"password\": \"rootpw\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                    assertThat(cookie).startsWith("sluice_session=").contains("Secure").contains("HTTPOnly"));
        }
    }

    private static HttpRequest post(URI uri, String origin) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"http-999999\"]}")).build();
    }
}
