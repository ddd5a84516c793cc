package dev.sluice.server.testing;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The real Java driver against the simulated replica set, through its replicaSet URI: proof that the simulator
 * is faithful enough for a driver's SDAM, server selection and retryable writes.
 */
class SimulatedReplicaSetIT {
    private SimulatedReplicaSet rs;
    private MongoClient client;

    @BeforeEach
    void start() {
        rs = SimulatedReplicaSet.start(3);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        rs.close();
    }

    /** The driver's defaults: a 10 s heartbeat, so what it learns quicker it learns from streamed hellos. */
    private MongoClient connect() {
        return connect(10_000);
    }

    private MongoClient connect(long heartbeatMS) {
        return connect(heartbeatMS, new CommandListener() {
        });
    }

    private MongoClient connect(long heartbeatMS, CommandListener listener) {
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(rs.uri()))
                .addCommandListener(listener)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToServerSettings(b -> b.heartbeatFrequency(heartbeatMS, TimeUnit.MILLISECONDS))
                .build());
        return client;
    }

    private MongoCollection<Document> collection() {
        return client.getDatabase("db").getCollection("c");
    }

    private static ServerAddress address(SimulatedMember member) {
        return new ServerAddress("127.0.0.1", member.port());
    }

    private ServerDescription described(SimulatedMember member) {
        for (ServerDescription server : client.getClusterDescription().getServerDescriptions()) {
            if (server.getAddress().equals(address(member))) {
                return server;
            }
        }
        return null;
    }

    @Test
    void theDriverDiscoversTheSetAndItsPrimaryThenWritesAndReads() {
        connect();
        collection().insertOne(new Document("_id", 1).append("x", "a"));
        assertThat(collection().find(new Document("_id", 1)).first()).containsEntry("x", "a");

        var cluster = client.getClusterDescription();
        assertThat(cluster.getType()).isEqualTo(ClusterType.REPLICA_SET);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(described(rs.member(0)).getType()).isEqualTo(ServerType.REPLICA_SET_PRIMARY);
            assertThat(described(rs.member(1)).getType()).isEqualTo(ServerType.REPLICA_SET_SECONDARY);
            assertThat(described(rs.member(2)).getType()).isEqualTo(ServerType.REPLICA_SET_SECONDARY);
        });
        assertThat(rs.member(0).commandCount("insert")).isEqualTo(1);
        assertThat(rs.member(0).commandCount("find")).isEqualTo(1);
    }

    @Test
    void secondaryReadsAreServedAndCountedOnASecondary() {
        connect();
        collection().insertOne(new Document("_id", 1));
        rs.members().forEach(SimulatedMember::resetCommandCounts);
        MongoCollection<Document> secondary = collection().withReadPreference(ReadPreference.secondary());
        for (int i = 0; i < 10; i++) {
            assertThat(secondary.find().first()).containsEntry("_id", 1);
        }
        assertThat(rs.member(0).commandCount("find")).isZero();
        assertThat(rs.member(1).commandCount("find") + rs.member(2).commandCount("find")).isEqualTo(10);
    }

    @Test
    void taggedReadsGoToTheTaggedSecondary() {
        rs.setTags(rs.member(2), Map.of("dc", "east"));
        connect();
        collection().insertOne(new Document("_id", 1));
        MongoCollection<Document> east = collection().withReadPreference(
                ReadPreference.secondary(new TagSet(new Tag("dc", "east"))));
        for (int i = 0; i < 5; i++) {
            assertThat(east.find().first()).isNotNull();
        }
        assertThat(rs.member(2).commandCount("find")).isEqualTo(5);
        assertThat(rs.member(1).commandCount("find")).isZero();
    }

    @Test
    void aLaggingSecondaryIsAvoidedByMaxStaleness() {
        rs.setLag(rs.member(1), Duration.ofSeconds(300));
        connect();
        collection().insertOne(new Document("_id", 1));
        MongoCollection<Document> fresh = collection().withReadPreference(
                ReadPreference.secondary(90, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            assertThat(fresh.find().first()).isNotNull();
        }
        assertThat(rs.member(2).commandCount("find")).isEqualTo(5);
        assertThat(rs.member(1).commandCount("find")).isZero();
    }

    @Test
    void aWriteSentToThePrimaryThatJustSteppedDownIsRetriedOnTheNewPrimary() {
        AtomicBoolean armed = new AtomicBoolean();
        connect(10_000, new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                // the driver still takes member 0 for the primary: it steps down as the insert leaves
                if (event.getCommandName().equals("insert") && armed.compareAndSet(true, false)) {
                    rs.stepDown(rs.member(0));
                    rs.elect(rs.member(2));
                }
            }
        });
        collection().insertOne(new Document("_id", 1));
        armed.set(true);
        collection().insertOne(new Document("_id", 2));

        assertThat(rs.member(0).commandCount("insert")).isEqualTo(2); // the second one got NotWritablePrimary
        assertThat(rs.member(2).commandCount("insert")).isEqualTo(1);
        assertThat(collection().countDocuments()).isEqualTo(2);
        assertThat(described(rs.member(2)).getType()).isEqualTo(ServerType.REPLICA_SET_PRIMARY);
    }

    @Test
    void aWriteTheDriverRetriesIsNotAppliedTwice() {
        // the writeConcernError marks the primary Unknown while its state does not change: as against mongod, the
        // driver learns it is still primary from its next streamed hello, one heartbeat later
        connect(500);
        collection().insertOne(new Document("_id", 0).append("n", 0));
        rs.failCommand(rs.member(0), FailCommand.on("update").writeConcernError(91, "Replication is being shut down")
                .build());
        collection().updateOne(new Document("_id", 0), new Document("$inc", new Document("n", 1)));
        assertThat(rs.member(0).commandCount("update")).isEqualTo(2);
        assertThat(rs.retriedWrites()).isEqualTo(1);
        assertThat(collection().find().first()).containsEntry("n", 1); // applied twice it would be 2
    }

    @Test
    void aWriteAppliedOnTheOldPrimaryAndRetriedOnTheNewOneIsNotAppliedTwice() {
        AtomicBoolean armed = new AtomicBoolean();
        connect(10_000, new CommandListener() {
            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                // applied on member 0, its reply lost to a writeConcernError: member 2 is elected before the retry
                if (event.getCommandName().equals("update") && armed.compareAndSet(true, false)) {
                    rs.stepDown(rs.member(0));
                    rs.elect(rs.member(2));
                }
            }
        });
        collection().insertOne(new Document("_id", 0).append("n", 0));
        rs.failCommand(rs.member(0), FailCommand.on("update").writeConcernError(91, "Replication is being shut down")
                .build());
        armed.set(true);
        collection().updateOne(new Document("_id", 0), new Document("$inc", new Document("n", 1)));

        assertThat(rs.member(0).commandCount("update")).isEqualTo(1);
        assertThat(rs.member(2).commandCount("update")).isEqualTo(1);
        assertThat(rs.retriedWrites()).isEqualTo(1);
        assertThat(collection().find().first()).containsEntry("n", 1); // applied twice it would be 2
        assertThat(collection().countDocuments()).isEqualTo(1);
    }

    @Test
    void aRemovedMemberDisappearsFromTheDriversClusterDescriptionAndANewOneAppears() {
        connect();
        collection().insertOne(new Document("_id", 1));
        SimulatedMember removed = rs.member(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> described(removed) != null);
        rs.removeMember(removed);
        await().atMost(Duration.ofSeconds(10)).until(() -> described(removed) == null);

        SimulatedMember added = rs.addMember();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(described(added)).isNotNull();
            assertThat(described(added).getType()).isEqualTo(ServerType.REPLICA_SET_SECONDARY);
        });
    }

    @Test
    void failCommandReturnsTheErrorToTheDriver() {
        connect();
        collection().insertOne(new Document("_id", 1));
        rs.failCommand(rs.member(0), "find", 2, 1);
        assertThatThrownBy(() -> collection().find().first())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(2);
                    assertThat(e.getErrorCodeName()).isEqualTo("BadValue");
                });
        assertThat(collection().find().first()).isNotNull();
    }

    @Test
    void aClosedConnectionIsRetriedByTheDriver() {
        connect();
        collection().insertOne(new Document("_id", 1));
        rs.failCommand(rs.member(0), FailCommand.on("insert").closeConnection().build());
        collection().insertOne(new Document("_id", 2));
        assertThat(collection().countDocuments()).isEqualTo(2);
        assertThat(rs.member(0).commandCount("insert")).isEqualTo(3);
    }

    @Test
    void aStoppedSecondaryIsMarkedUnknownAndComesBackAfterStart() {
        connect(500); // the monitor of an unreachable member retries every heartbeat
        collection().insertOne(new Document("_id", 1));
        SimulatedMember secondary = rs.member(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> described(secondary).getType() == ServerType.REPLICA_SET_SECONDARY);
        rs.stop(secondary);
        await().atMost(Duration.ofSeconds(10)).until(() -> described(secondary).getType() == ServerType.UNKNOWN);
        rs.start(secondary);
        await().atMost(Duration.ofSeconds(10)).until(() -> described(secondary).getType() == ServerType.REPLICA_SET_SECONDARY);
    }
}
