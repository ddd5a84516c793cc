package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.TestCertificates;
import org.bson.Document;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold start with TLS and SCRAM-SHA-256 on both paths, as against a real cluster. The cluster is a Sluice
 * child JVM with its embedded backend, {@code --auth} and {@code requireTLS} (certificates from
 * {@link TestCertificates}), behind {@link DelayRelay}; its users: {@code svc} (root, Sluice's service user) and
 * {@code app} (readWrite on {@code bench}, the client). Direct: the driver with {@code tls=true} and app's
 * credentials through the relay. Through Sluice: a front Sluice child JVM that requires TLS and SCRAM from its
 * clients ({@code --auth --userSource cluster}: the cluster's users, so the same credentials; a Sluice upstream
 * does not serve the {@code sluice} database that {@code userSource: sluice} keeps users in) and whose pool
 * ({@code minPoolSize=4}) logs in to the cluster with TLS and SCRAM through the relay.
 */
final class SecuredColdStart {
    static final String USER = "app";
    private static final String APP_PW = "cold-Start-app-1";
    private static final String SVC_PW = "cold-Start-svc-2";
    private static final List<String> JVM = ChildProcess.options(Launch.SLUICE_JVM_OPTS);

    private SecuredColdStart() {
    }

    static ColdStartFixture start(Path jar, double rttMs, Path logs) throws Exception {
        return start(jar, rttMs, logs, false);
    }

    /**
     * @param sharedTls one driver SSLContext for every client (a warm FaaS container creating a client per
     *                  invocation: its TLS sessions can be resumed), instead of a fresh one per client (a new process)
     */
    static ColdStartFixture start(Path jar, double rttMs, Path logs, boolean sharedTls) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            TestCertificates certs = TestCertificates.create(Files.createTempDirectory("sluice-cold-start-tls"));
            Path pem = certs.writePem("server.pem", certs.server());
            List<String> tls = List.of("--tlsMode", "requireTLS", "--tlsCertificateKeyFile", pem.toString());
            List<String> clusterArgs = new ArrayList<>(tls);
            clusterArgs.add("--auth");
            Launch.Sluice cluster = Launch.sluice(jar, null, clusterArgs, JVM, logs.resolve("sluice-cold-start-cluster.log"));
            started.add(cluster);
            createUsers(certs, cluster.mongo().getPort());
            DelayRelay relay = DelayRelay.start(cluster.mongo(), (long) (rttMs * 1000));
            started.add(relay);
            String relayed = "127.0.0.1:" + relay.address().getPort();
            List<String> frontArgs = new ArrayList<>(tls);
            frontArgs.addAll(List.of("--auth", "--userSource", "cluster"));
            Launch.Sluice front = Launch.sluice(jar, "mongodb://svc:" + SVC_PW + "@" + relayed + "/?tls=true&tlsCAFile="
                    + certs.caFile() + "&authSource=admin&minPoolSize=4&maxPoolSize=20", frontArgs, JVM,
                    logs.resolve("sluice-cold-start-front.log"));
            started.add(front);
            String credentials = "mongodb://" + USER + ":" + APP_PW + "@";
            String options = "/?tls=true&authSource=admin";
            String atFront = "127.0.0.1:" + front.mongo().getPort() + options;
            SSLContext shared = certs.clientContext(null);
            return new ColdStartFixture(sharedTls ? "TLS + SCRAM-SHA-256, one SSLContext" : "TLS + SCRAM-SHA-256",
                    credentials + relayed + options, credentials + atFront,
                    sharedTls ? () -> shared : () -> certs.clientContext(null), "mongodb://svc:" + SVC_PW + "@" + atFront,
                    processes(cluster, front), started);
        } catch (Exception | Error e) {
            new ColdStartFixture("secured", null, null, null, null, java.util.Map.of(), started).close();
            throw e;
        }
    }

    /** The first user through the localhost exception, then the client user and the document it reads. */
    private static void createUsers(TestCertificates certs, int port) {
        SSLContext context = certs.clientContext(null);
        try (MongoClient anonymous = client("mongodb://127.0.0.1:" + port + "/?tls=true", context)) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "svc").append("pwd", SVC_PW)
                    .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
        }
        try (MongoClient svc = client("mongodb://svc:" + SVC_PW + "@127.0.0.1:" + port + "/?tls=true&authSource=admin",
                context)) {
            svc.getDatabase("admin").runCommand(new Document("createUser", USER).append("pwd", APP_PW)
                    .append("roles", List.of(new Document("role", "readWrite").append("db", "bench"))));
            svc.getDatabase("bench").getCollection("items").insertOne(new Document("_id", 1).append("item", "tea"));
        }
    }

    /** user:password of the service user (diagnostics: Sluice's HTTP API with Basic authentication). */
    static String svcBasic() {
        return "svc:" + SVC_PW;
    }

    /** The HTTP base URLs of the cluster and the front (diagnostics). */
    static String[] httpOf(ColdStartFixture f) {
        return new String[] {((Launch.Sluice) f.started().get(0)).http(), ((Launch.Sluice) f.started().get(2)).http()};
    }

    private static java.util.Map<String, Long> processes(Launch.Sluice cluster, Launch.Sluice front) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("cluster Sluice", cluster.process().pid());
        m.put("front Sluice", front.process().pid());
        return m;
    }

    private static MongoClient client(String uri, SSLContext context) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .applyToSslSettings(s -> s.enabled(true).context(context)).build());
    }
}
