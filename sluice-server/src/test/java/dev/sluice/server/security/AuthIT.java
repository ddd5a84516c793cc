package dev.sluice.server.security;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Users and roles end to end with the real Java driver: mongod's localhost exception, SCRAM-SHA-1
 * and SCRAM-SHA-256 (with SASLprep), speculative authentication, authorization of forwarded and of
 * Sluice's own commands, and Neo4j's own-connections rule for listConnections / killConnections.
 */
class AuthIT {
    private static SluiceHarness sluice;
    private static MongoClient admin;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceHarness.start(null, ConfigFile.parse("security:\n  authorization: enabled\n", "test"));
        // mongod's localhost exception: no user yet, a loopback connection may create the first one in admin
        try (MongoClient anonymous = MongoClients.create(sluice.uri())) {
            assertThat(anonymous.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue()).isEqualTo(1);
            assertThatThrownBy(() -> anonymous.getDatabase("shop").getCollection("orders").find().first())
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "root")
                    .append("pwd", "rootpw").append("roles", List.of(new Document("role", "root").append("db", "admin"))));
            // the exception closes once a user exists
            assertThatThrownBy(() -> anonymous.getDatabase("admin").runCommand(new Document("createUser", "sneaky")
                    .append("pwd", "x").append("roles", List.of("root"))))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
        }
        admin = MongoClients.create(sluice.uri("").replace("mongodb://", "mongodb://root:rootpw@") + "?authSource=admin&appName=rootApp");
        var adminDb = admin.getDatabase("admin");
        // the seeds' example, verbatim: a role with exactly the dropConnections action on the cluster
        adminDb.runCommand(Document.parse("{createRole: 'dropConnectionsRole', privileges: [{resource: {cluster: true}, "
                + "actions: ['dropConnections']}], roles: []}"));
        adminDb.runCommand(Document.parse("{createUser: 'dropConnectionsUser', pwd: 'dropConnectionsUser', "
                + "roles: ['dropConnectionsRole']}"));
        admin.getDatabase("shop").runCommand(Document.parse("{createUser: 'app', pwd: 'apppw', roles: ['readWrite']}"));
        admin.getDatabase("shop").runCommand(Document.parse("{createUser: 'reader', pwd: 'readerpw', roles: ['read']}"));
        adminDb.runCommand(Document.parse("{createUser: 'sha1only', pwd: 'sha1pw', roles: ['readAnyDatabase'], mechanisms: ['SCRAM-SHA-1']}"));
        adminDb.runCommand(new Document("createUser", "unicode").append("pwd", "p\u00E0ss\u2168w\u00F6rd")
                .append("roles", List.of("readAnyDatabase")).append("mechanisms", List.of("SCRAM-SHA-256")));
        admin.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1).append("item", "tea"));
        admin.getDatabase("secret").getCollection("plans").insertOne(new Document("_id", 1));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    private static MongoClient as(String user, String password, String authSource, String options) {
        String u = URLEncoder.encode(user, StandardCharsets.UTF_8);
        String p = URLEncoder.encode(password, StandardCharsets.UTF_8);
        return MongoClients.create(sluice.uri("").replace("mongodb://", "mongodb://" + u + ":" + p + "@")
                + "?authSource=" + authSource + (options.isEmpty() ? "" : "&" + options));
    }

    private static int code(Runnable r) {
        try {
            r.run();
        } catch (MongoCommandException e) {
            return e.getErrorCode();
        }
        return 0;
    }

    @Test
    void theSeedsDropConnectionsRoleCanDropAndAReadWriteUserGets13() {
        Document drop = Document.parse("{dropConnections: 1, hostAndPort: ['127.0.0.1:1'], comment: 'test'}");
        try (MongoClient dropper = as("dropConnectionsUser", "dropConnectionsUser", "admin", "");
             MongoClient app = as("app", "apppw", "shop", "")) {
            assertThat(dropper.getDatabase("admin").runCommand(drop).get("ok", Number.class).intValue()).isEqualTo(1);
            assertThat(code(() -> app.getDatabase("admin").runCommand(drop))).isEqualTo(13);
            assertThat(code(() -> dropper.getDatabase("shop").getCollection("orders").find().first())).isEqualTo(13);
        }
    }

    @Test
    void anUpsertInTheDriversUpdateSequenceStillNeedsInsertAndBatchesOfDocumentsGoThrough() {
        admin.getDatabase("shop").runCommand(Document.parse("{createRole: 'updateOnly', privileges: [{resource: "
                + "{db: 'shop', collection: 'orders'}, actions: ['find', 'update']}], roles: []}"));
        admin.getDatabase("shop").runCommand(Document.parse("{createUser: 'updater', pwd: 'updaterpw', "
                + "roles: ['updateOnly']}"));
        try (MongoClient updater = as("updater", "updaterpw", "shop", "");
             MongoClient app = as("app", "apppw", "shop", "")) {
            var orders = updater.getDatabase("shop").getCollection("orders");
            // the driver sends updates as a document sequence: the upsert inside it asks for insert too
            assertThat(orders.updateOne(new Document("_id", 1), new Document("$set", new Document("seen", true)))
                    .getMatchedCount()).isEqualTo(1);
            assertThat(code(() -> orders.updateOne(new Document("_id", 424242), new Document("$set",
                    new Document("seen", true)), new com.mongodb.client.model.UpdateOptions().upsert(true))))
                    .isEqualTo(13);
            assertThat(code(() -> orders.deleteOne(new Document("_id", 1)))).isEqualTo(13);
            // a batch of documents (a documents sequence) from a user who may insert
            var batch = app.getDatabase("shop").getCollection("batch");
            List<Document> docs = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                docs.add(new Document("_id", i).append("n", i));
            }
            assertThat(batch.insertMany(docs).getInsertedIds()).hasSize(2_000);
            assertThat(batch.countDocuments()).isEqualTo(2_000);
            assertThat(batch.deleteMany(new Document()).getDeletedCount()).isEqualTo(2_000);
            assertThat(code(() -> orders.insertMany(docs))).isEqualTo(13); // updater may not insert
        }
    }

    @Test
    void aSequenceOverMaxWriteBatchSizeIsRefusedAndAnUnauthenticatedOneIsNotExpanded() throws Exception {
        // mongod refuses more than 100,000 statements (maxWriteBatchSize in hello) with 16 InvalidLength
        org.bson.BsonDocument over = rawUpdate(100_001);
        assertThat(over.getInt32("code").getValue()).isEqualTo(16);
        assertThat(over.getString("codeName").getValue()).isEqualTo("InvalidLength");
        assertThat(over.getString("errmsg").getValue())
                .startsWith("Write batch sizes must be between 1 and 100000. Got 100001 operations.")
                .contains("maxWriteBatchSize");
        // at the limit, from a client that has not logged in: refused for that
        assertThat(rawUpdate(100_000).getInt32("code").getValue()).isEqualTo(13);
    }

    @Test
    void aClientThatHasNotLoggedInSendsAtMostMaxHandshakeBytes() throws Exception {
        String pad = "x".repeat(70_000);
        org.bson.BsonDocument find = rawCommand(org.bson.BsonDocument.parse("{find: 'orders', $db: 'shop'}")
                .append("comment", new org.bson.BsonString(pad)), List.of());
        assertThat(find.getInt32("code").getValue()).isEqualTo(13);
        assertThat(find.getString("errmsg").getValue()).startsWith("Command find requires authentication")
                .contains("maxHandshakeBytes");
        org.bson.BsonDocument hello = rawCommand(org.bson.BsonDocument.parse("{hello: 1, $db: 'admin'}")
                .append("comment", new org.bson.BsonString(pad)), List.of());
        assertThat(hello.getInt32("code").getValue()).isEqualTo(2);
        assertThat(hello.getString("errmsg").getValue()).contains("maxHandshakeBytes");
        org.bson.BsonDocument sasl = rawCommand(org.bson.BsonDocument.parse("{saslStart: 1, mechanism: 'SCRAM-SHA-256',"
                + " $db: 'admin'}").append("payload", new org.bson.BsonBinary(new byte[70_000])), List.of());
        assertThat(sasl.getInt32("code").getValue()).isEqualTo(2);
        // under the bound, a hello is answered
        org.bson.BsonDocument small = rawCommand(org.bson.BsonDocument.parse("{hello: 1, $db: 'admin'}")
                .append("comment", new org.bson.BsonString("x".repeat(60_000))), List.of());
        assertThat(small.getBoolean("isWritablePrimary").getValue()).isTrue();
        // a user who logged in sends what mongod takes
        try (MongoClient app = as("app", "apppw", "shop", "")) {
            assertThat(app.getDatabase("shop").getCollection("orders").find().comment(pad).first()).isNotNull();
        }
    }

    /** An update with {@code count} empty statements in an {@code updates} sequence, sent without logging in. */
    private static org.bson.BsonDocument rawUpdate(int count) throws Exception {
        List<org.bson.BsonDocument> empty = java.util.Collections.nCopies(count, new org.bson.BsonDocument());
        return rawCommand(org.bson.BsonDocument.parse("{update: 'orders', $db: 'shop'}"),
                List.of(dev.sluice.server.wire.DocumentSequence.of("updates", empty)));
    }

    /** One OP_MSG on a connection of its own that has not logged in; the reply's body. */
    private static org.bson.BsonDocument rawCommand(org.bson.BsonDocument body,
                                                    List<dev.sluice.server.wire.DocumentSequence> sequences)
            throws Exception {
        io.netty.buffer.ByteBuf frame = dev.sluice.server.wire.OpMsg.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
                7, 0, 0, body, sequences);
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        var address = sluice.server().mongoAddress();
        try (java.net.Socket socket = new java.net.Socket(address.getHostString(), address.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(bytes);
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] header = new byte[4];
            in.readFully(header);
            int length = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            byte[] reply = new byte[length];
            System.arraycopy(header, 0, reply, 0, 4);
            in.readFully(reply, 4, length - 4);
            io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(reply);
            try {
                return dev.sluice.server.wire.OpMsg.parse(buf).body();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void wrongPasswordGets18() {
        try (MongoClient wrong = as("app", "nope", "shop", "serverSelectionTimeoutMS=3000")) {
            assertThatThrownBy(() -> wrong.getDatabase("shop").getCollection("orders").find().first())
                    .isInstanceOfSatisfying(MongoSecurityException.class, e ->
                            assertThat(e.getCause()).isInstanceOfSatisfying(MongoCommandException.class, c -> {
                                assertThat(c.getErrorCode()).isEqualTo(18);
                                assertThat(c.getErrorMessage()).isEqualTo("Authentication failed.");
                            }));
        }
        try (MongoClient unknown = as("nobody", "nope", "shop", "serverSelectionTimeoutMS=3000")) {
            assertThatThrownBy(() -> unknown.getDatabase("shop").getCollection("orders").find().first())
                    .isInstanceOfSatisfying(MongoSecurityException.class, e ->
                            assertThat(((MongoCommandException) e.getCause()).getErrorMessage()).isEqualTo("Authentication failed."));
        }
    }

    @Test
    void scramSha1AndSha256BothWorkAndSaslPrepHandlesNonAsciiPasswords() {
        try (MongoClient sha1 = as("sha1only", "sha1pw", "admin", "authMechanism=SCRAM-SHA-1");
             MongoClient sha256 = as("app", "apppw", "shop", "authMechanism=SCRAM-SHA-256");
             MongoClient unicode = as("unicode", "p\u00E0ss\u2168w\u00F6rd", "admin", "authMechanism=SCRAM-SHA-256");
             MongoClient prepped = as("unicode", "p\u00E0ssIXw\u00F6rd", "admin", "authMechanism=SCRAM-SHA-256")) {
            assertThat(sha1.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(1);
            assertThat(sha256.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(1);
            assertThat(unicode.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(1);
            // SASLprep maps U+2168 (ROMAN NUMERAL NINE) to "IX": the same password
            assertThat(prepped.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void speculativeAuthenticationSavesTheSaslStartRoundTrip() {
        var auth = sluice.server().authenticator();
        long saslStarts = auth.saslStarts();
        long speculative = auth.speculativeStarts();
        try (MongoClient app = as("app", "apppw", "shop", "authMechanism=SCRAM-SHA-256&maxPoolSize=1")) {
            app.getDatabase("shop").getCollection("orders").find().first();
        }
        assertThat(auth.speculativeStarts()).isGreaterThan(speculative);
        assertThat(auth.saslStarts()).as("no separate saslStart round trip").isEqualTo(saslStarts);
    }

    @Test
    void builtInRolesAreEnforcedOnForwardedCommands() {
        try (MongoClient reader = as("reader", "readerpw", "shop", "");
             MongoClient app = as("app", "apppw", "shop", "")) {
            var orders = reader.getDatabase("shop").getCollection("orders");
            assertThat(orders.find().first()).isNotNull();
            assertThat(code(() -> orders.insertOne(new Document("x", 1)))).isEqualTo(13);
            assertThat(code(() -> reader.getDatabase("secret").getCollection("plans").find().first())).isEqualTo(13);
            // $lookup from a database the user cannot read, $out into one it cannot write
            assertThat(code(() -> app.getDatabase("shop").getCollection("orders").aggregate(List.of(
                    Document.parse("{$lookup: {from: {db: 'secret', coll: 'plans'}, localField: '_id', foreignField: '_id', as: 'p'}}")))
                    .first())).isEqualTo(13);
            assertThat(code(() -> app.getDatabase("shop").getCollection("orders").aggregate(List.of(
                    Document.parse("{$out: {db: 'secret', coll: 'stolen'}}"))).toCollection())).isEqualTo(13);
            assertThat(code(() -> app.getDatabase("shop").runCommand(Document.parse(
                    "{createUser: 'x', pwd: 'y', roles: ['readWrite']}")))).isEqualTo(13);
            // readWrite works where granted
            app.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 100));
            app.getDatabase("shop").getCollection("orders").deleteOne(new Document("_id", 100));
            // Sluice's own users are out of reach, even for root
            assertThat(code(() -> admin.getDatabase("sluice").getCollection("users").find().first())).isEqualTo(13);
        }
    }

    @Test
    void anotherUsersCursorCannotBeContinued() {
        for (int i = 2; i < 20; i++) {
            admin.getDatabase("shop").getCollection("many").insertOne(new Document("_id", i));
        }
        try (MongoClient app = as("app", "apppw", "shop", "");
             MongoClient reader = as("reader", "readerpw", "shop", "")) {
            Document first = app.getDatabase("shop").runCommand(Document.parse("{find: 'many', batchSize: 2}"));
            long id = first.get("cursor", Document.class).getLong("id");
            assertThat(id).isNotZero();
            assertThat(code(() -> reader.getDatabase("shop").runCommand(new Document("getMore", id).append("collection", "many").append("batchSize", 2))))
                    .isEqualTo(13);
            assertThat(app.getDatabase("shop").runCommand(new Document("getMore", id).append("collection", "many").append("batchSize", 2))
                    .get("ok", Number.class).intValue()).isEqualTo(1);
        }
    }

    @Test
    void aUserSeesAndKillsOnlyTheirOwnConnectionsAndAnAdminAll() {
        try (MongoClient app = as("app", "apppw", "shop", "appName=appClient");
             MongoClient reader = as("reader", "readerpw", "shop", "appName=readerClient")) {
            app.getDatabase("shop").getCollection("orders").find().first();
            reader.getDatabase("shop").getCollection("orders").find().first();
            admin.getDatabase("admin").runCommand(new Document("ping", 1));
            List<Document> appRows = rows(app);
            assertThat(appRows).isNotEmpty().allSatisfy(r -> assertThat(r.getString("username")).isEqualTo("app@shop"));
            List<Document> adminRows = rows(admin);
            assertThat(adminRows).extracting(r -> r.getString("username")).contains("app@shop", "reader@shop", "root");
            String readerConnection = adminRows.stream().filter(r -> "reader@shop".equals(r.getString("username")))
                    .findFirst().orElseThrow().getString("connectionId");
            // app may not see reader's connection: answered as absent
            Document kill = app.getDatabase("admin").runCommand(new Document("killConnections", List.of(readerConnection)));
            Document result = kill.getList("results", Document.class).get(0);
            assertThat(result.getString("message")).isEqualTo("No connection found with this id");
            assertThat(result.getString("username")).isEqualTo("n/a");
            assertThat(sluice.server().registry().find(readerConnection)).isNotNull();
            // root holds inprog and killop: sees and kills it
            Document killed = admin.getDatabase("admin").runCommand(new Document("killConnections", List.of(readerConnection)));
            assertThat(killed.getList("results", Document.class).get(0).getString("message")).isEqualTo("Connection found");
            assertThat(killed.getList("results", Document.class).get(0).getString("username")).isEqualTo("reader@shop");
        }
    }

    @Test
    void theHttpApiAuthenticatesWithTheSameUsersAndPrivileges() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var address = sluice.server().httpAddress();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> get = (path, credentials) -> {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + address.getPort() + path));
            if (credentials != null) {
                request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            try {
                return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(get.apply("/api/connections", null).statusCode()).isEqualTo(401);
        assertThat(get.apply("/api/connections", "root:wrong").statusCode()).isEqualTo(401);
        var asRoot = get.apply("/api/connections", "root:rootpw");
        assertThat(asRoot.statusCode()).isEqualTo(200);
        assertThat(asRoot.body()).contains("\"username\":\"root\"");
        try (MongoClient app = as("app", "apppw", "shop", "appName=httpCheck")) {
            app.getDatabase("shop").getCollection("orders").find().first();
            var asApp = get.apply("/api/connections", "app@shop:apppw");
            assertThat(asApp.statusCode()).isEqualTo(200);
            assertThat(asApp.body()).contains("app@shop").doesNotContain("\"username\":\"root\"");
            assertThat(get.apply("/api/pools", "app@shop:apppw").statusCode()).isEqualTo(403);
            assertThat(get.apply("/api/pools", "root:rootpw").statusCode()).isEqualTo(200);
        }
    }

    private static List<Document> rows(MongoClient client) {
        Document reply = client.getDatabase("admin").runCommand(new Document("listConnections", 1).append("cursor",
                new Document("batchSize", 10_000)));
        return reply.get("cursor", Document.class).getList("firstBatch", Document.class);
    }

    @Test
    void usersInfoShowsTheSeedsRoleAndHidesCredentialsUnlessAsked() {
        Document info = admin.getDatabase("admin").runCommand(new Document("usersInfo", "dropConnectionsUser"));
        Document user = info.getList("users", Document.class).get(0);
        assertThat(user.getString("user")).isEqualTo("dropConnectionsUser");
        assertThat(user.getList("roles", Document.class)).extracting(r -> r.getString("role")).containsExactly("dropConnectionsRole");
        assertThat(user.containsKey("credentials")).isFalse();
        Document withCredentials = admin.getDatabase("admin").runCommand(new Document("usersInfo", "dropConnectionsUser")
                .append("showCredentials", true)).getList("users", Document.class).get(0);
        assertThat(withCredentials.get("credentials", Document.class).keySet()).contains("SCRAM-SHA-256");
        try (MongoCursor<Document> ignored = null) {
            // a user without viewUser cannot read others' entries
            try (MongoClient app = as("app", "apppw", "shop", "")) {
                assertThat(code(() -> app.getDatabase("admin").runCommand(new Document("usersInfo", "root")))).isEqualTo(13);
            }
        }
    }
    @Test
    void connectionStatusDescribesTheClientsOwnLoginAsMongodDoes() {
        try (MongoClient anonymous = MongoClients.create(sluice.uri());
             MongoClient dropper = as("dropConnectionsUser", "dropConnectionsUser", "admin", "");
             MongoClient app = as("app", "apppw", "shop", "")) {
            Document nobody = anonymous.getDatabase("test").runCommand(new Document("connectionStatus", 1))
                    .get("authInfo", Document.class);
            assertThat(nobody.getList("authenticatedUsers", Document.class)).isEmpty();
            assertThat(nobody.getList("authenticatedUserRoles", Document.class)).isEmpty();
            assertThat(nobody.containsKey("authenticatedUserPrivileges")).isFalse();

            Document appInfo = app.getDatabase("shop").runCommand(new Document("connectionStatus", 1))
                    .get("authInfo", Document.class);
            assertThat(appInfo.getList("authenticatedUsers", Document.class))
                    .containsExactly(new Document("user", "app").append("db", "shop"));
            assertThat(appInfo.getList("authenticatedUserRoles", Document.class))
                    .containsExactly(new Document("role", "readWrite").append("db", "shop"));
            assertThat(appInfo.containsKey("authenticatedUserPrivileges")).isFalse();

            Document withPrivileges = dropper.getDatabase("admin").runCommand(new Document("connectionStatus", 1)
                    .append("showPrivileges", true)).get("authInfo", Document.class);
            assertThat(withPrivileges.getList("authenticatedUserRoles", Document.class))
                    .containsExactly(new Document("role", "dropConnectionsRole").append("db", "admin"));
            assertThat(withPrivileges.getList("authenticatedUserPrivileges", Document.class))
                    .containsExactly(new Document("resource", new Document("cluster", true))
                            .append("actions", List.of("dropConnections")));

            assertThat(code(() -> app.getDatabase("shop").runCommand(new Document("connectionStatus", 1)
                    .append("showPrivileges", "yes")))).isEqualTo(14);
            assertThat(code(() -> app.getDatabase("shop").runCommand(new Document("connectionStatus", 1)
                    .append("showPrivilegez", true)))).isEqualTo(40415);
        }
    }
    @Test
    void ownOperationsAndSessionsNeedTheClusterActionsBecauseUpstreamAllClientsAreOneUser() {
        try (MongoClient app = as("app", "apppw", "shop", "")) {
            var adminDb = app.getDatabase("admin");
            assertThat(code(() -> adminDb.runCommand(new Document("currentOp", 1).append("$ownOps", true))))
                    .as("currentOp $ownOps: upstream, the service user's operations are every client's").isEqualTo(13);
            assertThat(code(() -> adminDb.runCommand(new Document("killOp", 1).append("op", 12)))).isEqualTo(13);
            assertThat(code(() -> adminDb.runCommand(new Document("killSessions", List.of())))).isEqualTo(13);
            assertThat(code(() -> adminDb.runCommand(Document.parse(
                    "{aggregate: 1, pipeline: [{$currentOp: {}}], cursor: {}}")))).isEqualTo(13);
            assertThat(code(() -> app.getDatabase("config").runCommand(Document.parse(
                    "{aggregate: 'system.sessions', pipeline: [{$listSessions: {}}], cursor: {}}")))).isEqualTo(13);
        }
    }
    @Test
    void listDatabasesShowsAUserOnlyTheDatabasesItHasPrivilegesOn() {
        try (MongoClient app = as("app", "apppw", "shop", "")) {
            List<String> all = admin.listDatabaseNames().into(new java.util.ArrayList<>());
            assertThat(all).as("root lists every database but Sluice's own").contains("shop", "secret")
                    .doesNotContain("sluice");
            Document reply = app.getDatabase("admin").runCommand(new Document("listDatabases", 1));
            List<Document> seen = reply.getList("databases", Document.class);
            assertThat(seen).extracting(d -> d.getString("name")).as("readWrite@shop, as on mongod")
                    .containsExactly("shop");
            assertThat(app.getDatabase("admin").runCommand(new Document("listDatabases", 1).append("nameOnly", true))
                    .getList("databases", Document.class)).extracting(d -> d.getString("name")).containsExactly("shop");
            assertThat(code(() -> app.getDatabase("admin").runCommand(new Document("listDatabases", 1)
                    .append("authorizedDatabases", false)))).isEqualTo(13);
        }
    }
    @Test
    void listCollectionsWithAuthorizedCollectionsShowsOnlyTheUsersCollections() {
        admin.getDatabase("shop").getCollection("items").insertOne(new Document("_id", 1));
        admin.getDatabase("shop").runCommand(Document.parse("{createRole: 'ordersOnly', privileges: "
                + "[{resource: {db: 'shop', collection: 'orders'}, actions: ['find']}], roles: []}"));
        admin.getDatabase("shop").runCommand(Document.parse("{createUser: 'narrow', pwd: 'narrowpw', roles: ['ordersOnly']}"));
        try (MongoClient narrow = as("narrow", "narrowpw", "shop", "");
             MongoClient app = as("app", "apppw", "shop", "")) {
            Document command = Document.parse("{listCollections: 1, nameOnly: true, authorizedCollections: true}");
            assertThat(names(narrow.getDatabase("shop").runCommand(command))).as("only what it holds a privilege on")
                    .containsExactly("orders");
            // (the embedded backend ignores listCollections' filter: the reply's batch is filtered too;
            // the request's narrowed filter, which a mongod applies, is AuthorizedCollectionsTest's)
            assertThat(code(() -> narrow.getDatabase("shop").runCommand(new Document("listCollections", 1))))
                    .as("without authorizedCollections it needs listCollections").isEqualTo(13);
            assertThat(names(app.getDatabase("shop").runCommand(command))).as("readWrite lists them all")
                    .contains("orders", "items");
        }
    }

    private static List<String> names(Document listCollectionsReply) {
        return listCollectionsReply.get("cursor", Document.class).getList("firstBatch", Document.class).stream()
                .map(d -> d.getString("name")).sorted().toList();
    }
}
