package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What happens upstream when a client goes away, and limits on clients. */
class ClientGoneIT {

    @Test
    void openTransactionIsAbortedUpstreamWhenItsClientIsKilled() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient client = MongoClients.create(sluice.uri("appName=txnApp"))) {
            ClientSession session = client.startSession();
            session.startTransaction();
            client.getDatabase("test").getCollection("t").insertOne(session, new Document("_id", 1));
            assertThat(backend.commands()).contains("insert");
            assertThat(sluice.server().router().transactions().size()).isEqualTo(1);
            for (ConnectionEntry e : sluice.server().registry().snapshot()) {
                if ("txnApp".equals(e.appName())) {
                    e.kill("test");
                }
            }
            await().until(() -> backend.commands().contains("abortTransaction"));
            assertThat(sluice.server().router().transactions().size()).isZero();
        }
    }

    @Test
    void unreachableUpstreamFailsAfterServerSelectionTimeoutNamingTheHost() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + port
                + "/?connectTimeoutMS=500&serverSelectionTimeoutMS=700");
             MongoClient client = MongoClients.create(sluice.uri())) {
            assertThatThrownBy(() -> client.getDatabase("test").runCommand(new Document("count", "c")))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> {
                        MongoCommandException m = (MongoCommandException) e;
                        assertThat(m.getErrorCode()).isEqualTo(133); // FailedToSatisfyReadPreference, as mongos
                        assertThat(m.getErrorMessage()).contains("127.0.0.1:" + port + " Unknown")
                                .contains("serverSelectionTimeoutMS").contains("primary");
                    });
        }
    }

    @Test
    void connectionsPastMaxIncomingConnectionsAreRefusedAndCounted() throws Exception {
        ConfigFile file = ConfigFile.parse("maxIncomingConnections: 2", "test");
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.start(backend.uri(), file)) {
            var a = sluice.server().mongoAddress();
            try (Socket s1 = new Socket(a.getHostString(), a.getPort());
                 Socket s2 = new Socket(a.getHostString(), a.getPort())) {
                // both accepted first (accepts are set up on several event loops, in any order)
                await().until(() -> sluice.server().registry().currentCount("mongodb") == 2);
                RawWire s3 = new RawWire(a.getHostString(), a.getPort());
                assertThat(s3.closedByServer()).isTrue();
                await().until(() -> sluice.server().registry().totalRejected("mongodb") == 1);
                assertThat(s1.isConnected() && s2.isConnected()).isTrue();
                s3.close();
            }
        }
    }
}
