package dev.sluice.server.security.cluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code security.userSource: cluster} with the real Java driver over loopback: the secured upstream is another
 * Sluice with authorization on (its own users); the front Sluice authenticates clients with the upstream's users,
 * read by its service user, and logs each client's backend connections in as that client's user.
 */
class ClusterAuthorityIT {
    private static final String SVC_PW = "svc-Secret-1";
    private static final String ALICE_PW = "alice-Secret-2";
    private static final String BOB_PW = "bob-Secret-3";
    private static final String WEAK_PW = "weak-Secret-4";
    private static final String CAROL_PW = "carol-Secret-5";
    private static final String ALICE_NEW_PW = "alice-Secret-6";

    private final List<AutoCloseable> open = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    private SluiceHarness upstream;
    private MongoClient upstreamAdmin;

    @BeforeEach
    void setUp() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        upstream = keep(SluiceHarness.start(null, ConfigFile.parse("security:\n  authorization: enabled\n", "test")));
        try (MongoClient anonymous = MongoClients.create(upstream.uri())) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "svc").append("pwd", SVC_PW)
                    .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
        }
        upstreamAdmin = keep(MongoClients.create(as(upstream, "svc", SVC_PW, "admin", "appName=operator")));
        upstreamAdmin.getDatabase("a").runCommand(new Document("createUser", "alice").append("pwd", ALICE_PW)
                .append("roles", List.of("readWrite")));
        upstreamAdmin.getDatabase("admin").runCommand(new Document("createUser", "bob").append("pwd", BOB_PW)
                .append("roles", List.of(new Document("role", "readWrite").append("db", "a"))));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).as("no password in any log line")
                .noneMatch(m -> m.contains(SVC_PW) || m.contains(ALICE_PW) || m.contains(BOB_PW)
                        || m.contains(WEAK_PW) || m.contains(CAROL_PW) || m.contains(ALICE_NEW_PW));
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static String as(SluiceHarness sluice, String user, String password, String authSource, String options) {
        return sluice.uri("authSource=" + authSource + "&serverSelectionTimeoutMS=5000&retryWrites=false&retryReads=false&"
                + options).replace("mongodb://", "mongodb://" + user + ":" + password + "@");
    }

    private String upstreamUri(String user, String password) {
        return "mongodb://" + user + ":" + password + "@127.0.0.1:" + upstream.server().mongoAddress().getPort()
                + "/?authSource=admin&appName=front&serverSelectionTimeoutMS=3000&connectTimeoutMS=3000"
                + "&heartbeatFrequencyMS=500";
    }

    private static ConfigFile clusterAuthority(int ttlSeconds) {
        return ConfigFile.parse("security:\n  authorization: enabled\n  userSource: cluster\n"
                + "  clusterUserCacheTTLSeconds: " + ttlSeconds + "\n", "test");
    }

    private SluiceHarness front(int ttlSeconds) throws Exception {
        return keep(SluiceHarness.start(upstreamUri("svc", SVC_PW), clusterAuthority(ttlSeconds)));
    }

    private MongoClient client(SluiceHarness front, String user, String password, String authSource) {
        return keep(MongoClients.create(as(front, user, password, authSource, "appName=app-" + user)));
    }

    /** The user names the upstream reports for the front's backend connections. */
    private List<String> backendUsers() {
        Document reply = upstreamAdmin.getDatabase("admin").runCommand(new Document("listConnections", 1)
                .append("filter", new Document("appName", "front")));
        List<String> users = new ArrayList<>();
        for (Document row : reply.get("cursor", Document.class).getList("firstBatch", Document.class)) {
            users.add(String.valueOf(row.get("username")));
        }
        return users;
    }

    private static List<Document> userPools(MongoClient admin) {
        return admin.getDatabase("admin").runCommand(new Document("connPoolStats", 1)).getList("users", Document.class);
    }

    private static Document poolOf(List<Document> pools, String user) {
        return pools.stream().filter(p -> user.equals(p.getString("user"))).findFirst().orElse(null);
    }

    @Test
    void aClusterUserLogsInThroughTheFrontWithItsOwnPasswordAndItsConnectionsLogInAsIt() throws Exception {
        SluiceHarness front = front(30);
        MongoClient alice = keep(MongoClients.create(as(front, "alice", ALICE_PW, "a", "authMechanism=SCRAM-SHA-256")));
        alice.getDatabase("a").getCollection("items").insertOne(new Document("_id", 1).append("by", "alice"));
        assertThat(alice.getDatabase("a").getCollection("items").find(new Document("_id", 1)).first())
                .containsEntry("by", "alice");

        assertThat(backendUsers()).as("the front's pooled connections upstream").anyMatch(u -> u.contains("alice"))
                .noneMatch(u -> u.contains("bob"));
        // and the same through SCRAM-SHA-1 (mongod's MD5 password digest): the ClientKey passes through alike
        MongoClient sha1 = keep(MongoClients.create(as(front, "alice", ALICE_PW, "a", "authMechanism=SCRAM-SHA-1")));
        assertThat(sha1.getDatabase("a").getCollection("items").countDocuments()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsRefusedAtTheFront() throws Exception {
        SluiceHarness front = front(30);
        MongoClient wrong = client(front, "alice", "not-" + ALICE_PW, "a");
        assertThatThrownBy(() -> wrong.getDatabase("a").getCollection("items").countDocuments())
                .isInstanceOfSatisfying(MongoSecurityException.class, e -> assertThat(e.getCause())
                        .isInstanceOfSatisfying(MongoCommandException.class, c -> assertThat(c.getErrorCode()).isEqualTo(18)));
        MongoClient unknown = client(front, "nobody", ALICE_PW, "a");
        assertThatThrownBy(() -> unknown.getDatabase("a").getCollection("items").countDocuments())
                .isInstanceOf(MongoSecurityException.class);
    }

    @Test
    void whatTheUserMayNotDoIsRefusedByTheClusterAndTheErrorReachesTheClientUnchanged() throws Exception {
        SluiceHarness front = front(30);
        MongoClient alice = client(front, "alice", ALICE_PW, "a");
        MongoClient direct = keep(MongoClients.create(as(upstream, "alice", ALICE_PW, "a", "appName=direct")));
        MongoCommandException upstreamError = null;
        try {
            direct.getDatabase("b").runCommand(new Document("insert", "items")
                    .append("documents", List.of(new Document("_id", 1))));
        } catch (MongoCommandException e) {
            upstreamError = e;
        }
        assertThat(upstreamError).as("the upstream refuses alice on b").isNotNull();
        MongoCommandException expected = upstreamError;
        assertThatThrownBy(() -> alice.getDatabase("b").runCommand(new Document("insert", "items")
                .append("documents", List.of(new Document("_id", 1)))))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(13);
                    assertThat(e.getErrorCodeName()).isEqualTo("Unauthorized");
                    assertThat(withoutSessionId(e.getErrorMessage())).as("the upstream's own message")
                            .isEqualTo(withoutSessionId(expected.getErrorMessage()));
                });
    }

    /** The message with the command's lsid masked (each client has its own session). */
    private static String withoutSessionId(String message) {
        return message.replaceAll("UUID\\(\"[0-9a-f-]+\"\\)", "UUID(...)");
    }

    @Test
    void eachUserHasItsOwnBackendPoolAndSluiceCommandsFollowClusterPrivileges() throws Exception {
        SluiceHarness front = front(30);
        MongoClient alice = client(front, "alice", ALICE_PW, "a");
        MongoClient operator = client(front, "svc", SVC_PW, "admin");
        for (int i = 0; i < 5; i++) {
            alice.getDatabase("a").getCollection("items").insertOne(new Document("n", i));
        }
        List<Document> pools = userPools(operator);
        Document alicePool = poolOf(pools, "alice@a");
        assertThat(alicePool).as("alice's pool in connPoolStats: %s", pools).isNotNull();
        long aliceCreated = alicePool.get("pool", Document.class).getLong("created");
        assertThat(aliceCreated).isPositive();
        assertThat(poolOf(pools, "bob@admin")).as("no pool for bob before bob works").isNull();
        assertThat(backendUsers()).noneMatch(u -> u.contains("bob"));

        MongoClient bob = client(front, "bob", BOB_PW, "admin");
        for (int i = 0; i < 5; i++) {
            bob.getDatabase("a").getCollection("items").insertOne(new Document("m", i));
        }
        pools = userPools(operator);
        assertThat(poolOf(pools, "bob@admin").get("pool", Document.class).getLong("created")).isPositive();
        assertThat(poolOf(pools, "alice@a").get("pool", Document.class).getLong("created"))
                .as("bob's operations opened no connection in alice's pool").isEqualTo(aliceCreated);
        assertThat(backendUsers()).anyMatch(u -> u.contains("bob")).anyMatch(u -> u.contains("alice"));

        // Sluice's own commands, authorized from the cluster's privileges: alice (readWrite on a) may not
        assertThatThrownBy(() -> alice.getDatabase("admin").runCommand(new Document("connPoolStats", 1)))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
        assertThatThrownBy(() -> alice.getDatabase("admin").runCommand(new Document("dropConnections", 1)
                .append("hostAndPort", List.of("127.0.0.1:1"))))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
        Document own = alice.getDatabase("admin").runCommand(new Document("listConnections", 1));
        assertThat(own.get("cursor", Document.class).getList("firstBatch", Document.class))
                .as("alice sees her own connections only").isNotEmpty()
                .allSatisfy(r -> assertThat(String.valueOf(r.get("username"))).contains("alice"));
        String json = operator.getDatabase("admin").runCommand(new Document("connPoolStats", 1)).toJson();
        assertThat(json).doesNotContain(ALICE_PW).doesNotContain(BOB_PW).doesNotContain(SVC_PW);

        // the HTTP API: the cluster's users over HTTP Basic, pools per user
        var http = front.server().httpAddress();
        java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http.getPort()
                                + "/api/pools"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("svc:" + SVC_PW).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"user\":\"alice@a\"").contains("\"user\":\"bob@admin\"")
                .doesNotContain(ALICE_PW).doesNotContain(BOB_PW).doesNotContain(SVC_PW);
    }

    @Test
    void userManagementCommandsGoToTheCluster() throws Exception {
        SluiceHarness front = front(30);
        MongoClient operator = client(front, "svc", SVC_PW, "admin");
        operator.getDatabase("a").runCommand(new Document("createUser", "carol").append("pwd", CAROL_PW)
                .append("roles", List.of("read")));
        Document info = upstreamAdmin.getDatabase("a").runCommand(new Document("usersInfo", "carol"));
        assertThat(info.getList("users", Document.class)).as("created in the cluster").hasSize(1);
        MongoClient carol = client(front, "carol", CAROL_PW, "a");
        assertThat(carol.getDatabase("a").getCollection("items").countDocuments()).isZero();
    }

    @Test
    void aUserDroppedInTheClusterLosesAccessAtTheFrontWithinTheTtl() throws Exception {
        SluiceHarness front = front(1);
        MongoClient alice = client(front, "alice", ALICE_PW, "a");
        MongoClient operator = client(front, "svc", SVC_PW, "admin");
        alice.getDatabase("a").getCollection("items").insertOne(new Document("_id", "before"));
        assertThat(poolOf(userPools(operator), "alice@a")).isNotNull();

        upstreamAdmin.getDatabase("a").runCommand(new Document("dropUser", "alice"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MongoClient again = MongoClients.create(as(front, "alice", ALICE_PW, "a", "appName=again"));
            try {
                assertThatThrownBy(() -> again.getDatabase("a").getCollection("items").countDocuments())
                        .as("a new login of the dropped user").isInstanceOf(MongoSecurityException.class);
            } finally {
                again.close();
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(poolOf(userPools(operator), "alice@a")).as("alice's pools closed").isNull());
        assertThatThrownBy(() -> alice.getDatabase("a").getCollection("items").insertOne(new Document("_id", "after")))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
    }

    @Test
    void aPasswordChangedInTheClusterTakesEffectAtTheFrontWithinTheTtl() throws Exception {
        SluiceHarness front = front(1);
        MongoClient alice = client(front, "alice", ALICE_PW, "a");
        alice.getDatabase("a").getCollection("items").insertOne(new Document("_id", "before"));

        upstreamAdmin.getDatabase("a").runCommand(new Document("updateUser", "alice").append("pwd", ALICE_NEW_PW));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (MongoClient old = MongoClients.create(as(front, "alice", ALICE_PW, "a", "appName=old"))) {
                assertThatThrownBy(() -> old.getDatabase("a").getCollection("items").countDocuments())
                        .as("the old password").isInstanceOf(MongoSecurityException.class);
            }
        });
        MongoClient renewed = client(front, "alice", ALICE_NEW_PW, "a");
        assertThat(renewed.getDatabase("a").getCollection("items").countDocuments()).isEqualTo(1);
        // the session that logged in with the old password: its backend connections cannot log in any more
        assertThatThrownBy(() -> alice.getDatabase("a").getCollection("items").insertOne(new Document("_id", "after")))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(18);
                    assertThat(e.getErrorMessage()).contains("password changed").doesNotContain(ALICE_PW)
                            .doesNotContain(ALICE_NEW_PW);
                });
    }

    @Test
    void maxConnectionsPerHostBoundsTheSumOverAllUsersPools() throws Exception {
        SluiceHarness front = keep(SluiceHarness.start(upstreamUri("svc", SVC_PW), ConfigFile.parse("security:\n"
                + "  authorization: enabled\n  userSource: cluster\nmaxConnectionsPerHost: 3\n", "test")));
        // Sluice's own pool (which reads the users) and three users' pools want at least four connections
        List<String> refusals = new ArrayList<>();
        for (String[] who : List.of(new String[]{"svc", SVC_PW, "admin"}, new String[]{"alice", ALICE_PW, "a"},
                new String[]{"bob", BOB_PW, "admin"})) {
            MongoClient client = client(front, who[0], who[1], who[2]);
            try {
                client.getDatabase("a").getCollection("items").insertOne(new Document("by", who[0]));
            } catch (MongoCommandException e) {
                refusals.add(e.getErrorMessage());
            }
        }
        assertThat(refusals).as("at least one pool found the host full").isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("maxConnectionsPerHost=3").contains("over all users' pools"));
        Document totals = keep(MongoClients.create(as(front, "svc", SVC_PW, "admin", "appName=stats")))
                .getDatabase("admin").runCommand(new Document("connPoolStats", 1));
        Document host = totals.get("hosts", Document.class).values().stream().map(Document.class::cast).findFirst()
                .orElseThrow();
        assertThat(host.getInteger("inUse") + host.getInteger("available") + host.getInteger("refreshing"))
                .as("the host's connections over all pools").isLessThanOrEqualTo(3);
        assertThat(backendUsers().stream().filter(u -> !"null".equals(u)).count())
                .as("authenticated backend connections of the front: %s", backendUsers()).isLessThanOrEqualTo(3);
    }

    @Test
    void aServiceUserThatCannotReadUsersStopsTheStartNamingThePrivilege() throws Exception {
        upstreamAdmin.getDatabase("admin").runCommand(new Document("createUser", "weak").append("pwd", WEAK_PW)
                .append("roles", List.of(new Document("role", "readWriteAnyDatabase").append("db", "admin"))));
        SluiceConfig config = SluiceConfig.merge(clusterAuthority(30), "127.0.0.1:0", "127.0.0.1:0",
                upstreamUri("weak", WEAK_PW));
        SluiceServer server = new SluiceServer(config, Clock.systemUTC());
        try {
            assertThatThrownBy(server::start).isInstanceOfSatisfying(ConfigException.class, e ->
                    assertThat(e.getMessage()).contains("security.userSource").contains("viewUser")
                            .contains("userAdminAnyDatabase").contains("weak@admin").doesNotContain(WEAK_PW));
        } finally {
            server.close();
        }
    }
}
