package dev.sluice.server.security.cluster;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterUserDirectoryTest {
    private static final UserName ALICE = new UserName("alice", "a");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cluster: usersInfo answered at once from a map. */
    private final Map<UserName, BsonDocument> cluster = new HashMap<>();
    private final List<String> revoked = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private int calls;

    private ClusterUserDirectory directory(int maxUsers) {
        return new ClusterUserDirectory((db, command) -> {
            calls++;
            BsonDocument who = command.getDocument("usersInfo");
            UserName name = new UserName(who.getString("user").getValue(), who.getString("db").getValue());
            BsonArray users = new BsonArray();
            if (cluster.containsKey(name)) {
                users.add(cluster.get(name));
            }
            return CompletableFuture.completedFuture(new BsonDocument("users", users).append("ok", new BsonDouble(1)));
        }, (user, why) -> revoked.add(user + ": " + why), 30, maxUsers, now::get);
    }

    private static BsonDocument user(UserName name, String password) {
        ScramCredentials sha256 = ScramCredentials.derive(ScramMechanism.SCRAM_SHA_256, name.user(), password, 4096, RANDOM);
        return new BsonDocument("user", new BsonString(name.user())).append("db", new BsonString(name.db()))
                .append("credentials", ScramCredentials.toCredentialsDocument(List.of(sha256)))
                .append("inheritedRoles", new BsonArray(List.of(new BsonDocument("role", new BsonString("readWrite"))
                        .append("db", new BsonString(name.db())))))
                .append("inheritedPrivileges", new BsonArray(List.of(new BsonDocument("resource",
                        new BsonDocument("db", new BsonString(name.db())).append("collection", new BsonString("")))
                        .append("actions", new BsonArray(List.of(new BsonString("find"), new BsonString("insert"),
                                new BsonString("someFutureAction")))))));
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aUserIsReadOnceAndAnsweredFromMemoryWithItsKeysAndPrivileges() {
        cluster.put(ALICE, user(ALICE, "pw"));
        ClusterUserDirectory users = directory(10);
        assertThat(users.loaded(ALICE)).isFalse();
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256)).as("not read yet").isEmpty();

        users.load(ALICE).toCompletableFuture().join();

        assertThat(users.loaded(ALICE)).isTrue();
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256)).isPresent();
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_1)).isEmpty();
        assertThat(users.mechanisms(ALICE)).containsExactly(ScramMechanism.SCRAM_SHA_256);
        var subject = users.subject(ALICE).orElseThrow();
        assertThat(subject.privileges().isAuthorized(Resource.namespace("a", "items"), ActionType.byName("insert")
                .orElseThrow())).isTrue();
        assertThat(subject.privileges().isAuthorized(Resource.namespace("b", "items"), ActionType.byName("insert")
                .orElseThrow())).isFalse();
        assertThat(users.isEmpty()).as("no localhost exception through Sluice").isFalse();
        assertThat(calls).isEqualTo(1);
        users.subject(ALICE);
        assertThat(calls).as("answered from the cache within the TTL").isEqualTo(1);
    }

    @Test
    void anUnknownUserIsCachedAsUnknown() {
        ClusterUserDirectory users = directory(10);
        users.load(ALICE).toCompletableFuture().join();
        assertThat(users.loaded(ALICE)).isTrue();
        assertThat(users.subject(ALICE)).isEmpty();
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256)).isEmpty();
    }

    @Test
    void aUserDroppedInTheClusterIsRevokedAtTheFirstReadAfterTheTtl() {
        cluster.put(ALICE, user(ALICE, "pw"));
        ClusterUserDirectory users = directory(10);
        users.load(ALICE).toCompletableFuture().join();
        cluster.remove(ALICE);

        advanceSeconds(29);
        assertThat(users.subject(ALICE)).as("within the TTL").isPresent();
        assertThat(revoked).isEmpty();

        advanceSeconds(1);
        assertThat(users.loaded(ALICE)).as("older than the TTL").isFalse();
        users.sweep();
        assertThat(revoked).containsExactly("alice@a: the user no longer exists in the cluster");
        assertThat(users.subject(ALICE)).isEmpty();
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256)).isEmpty();
    }

    @Test
    void theBackgroundSweepAsksOnlyForUsersUsedSinceTheyWereRead() {
        cluster.put(ALICE, user(ALICE, "pw"));
        ClusterUserDirectory users = directory(10);
        users.load(ALICE).toCompletableFuture().join();
        advanceSeconds(30);
        users.sweep();
        assertThat(calls).as("nobody used alice: not asked again").isEqualTo(1);

        users.subject(ALICE); // used (and, being stale, read again now)
        assertThat(calls).isEqualTo(2);
        users.subject(ALICE);
        advanceSeconds(30);
        users.sweep();
        assertThat(calls).as("used since the last read: read again").isEqualTo(3);
    }

    @Test
    void aNewPasswordRevokesTheOldKeysButKeepsTheUser() {
        cluster.put(ALICE, user(ALICE, "pw"));
        ClusterUserDirectory users = directory(10);
        users.load(ALICE).toCompletableFuture().join();
        ScramCredentials before = users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256).orElseThrow();
        cluster.put(ALICE, user(ALICE, "new-pw"));

        advanceSeconds(30);
        users.subject(ALICE); // a command after the TTL reads the user again

        assertThat(revoked).containsExactly("alice@a: the user's credentials changed in the cluster");
        assertThat(users.credentials(ALICE, ScramMechanism.SCRAM_SHA_256).orElseThrow().storedKey())
                .isNotEqualTo(before.storedKey());
        assertThat(users.subject(ALICE)).isPresent();
    }

    @Test
    void theCacheHoldsAtMostClusterUserCacheSizeUsersDroppingTheLeastRecentlyRead() {
        ClusterUserDirectory users = directory(2);
        for (int i = 0; i < 3; i++) {
            UserName name = new UserName("u" + i, "a");
            cluster.put(name, user(name, "pw"));
            users.load(name).toCompletableFuture().join();
            now.incrementAndGet();
        }
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.loaded(new UserName("u0", "a"))).isFalse();
        assertThat(users.loaded(new UserName("u2", "a"))).isTrue();
    }

    @Test
    void aRefusalOrFailureUpstreamLeavesTheUserUnknownAndCompletesTheLoad() {
        ClusterUserDirectory refusing = new ClusterUserDirectory((db, command) -> CompletableFuture.completedFuture(
                new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString("not authorized"))
                        .append("code", new BsonInt32(13))), (u, why) -> revoked.add(why), 30, 10, now::get);
        refusing.load(ALICE).toCompletableFuture().join();
        assertThat(refusing.loaded(ALICE)).isFalse();

        ClusterUserDirectory failing = new ClusterUserDirectory((db, command) -> CompletableFuture.failedFuture(
                new IllegalStateException("upstream down")), (u, why) -> revoked.add(why), 30, 10, now::get);
        failing.load(ALICE).toCompletableFuture().join();
        assertThat(failing.loaded(ALICE)).isFalse();
        assertThat(revoked).isEmpty();
    }

    @Test
    void concurrentLoadsOfOneUserShareOneUsersInfo() {
        cluster.put(ALICE, user(ALICE, "pw"));
        CompletableFuture<BsonDocument> reply = new CompletableFuture<>();
        int[] sent = new int[1];
        ClusterUserDirectory users = new ClusterUserDirectory((db, command) -> {
            sent[0]++;
            return reply;
        }, (u, why) -> revoked.add(why), 30, 10, now::get);
        var first = users.load(ALICE).toCompletableFuture();
        var second = users.load(ALICE).toCompletableFuture();
        assertThat(sent[0]).isEqualTo(1);
        assertThat(first).isNotDone();
        reply.complete(new BsonDocument("users", new BsonArray(List.of(cluster.get(ALICE)))).append("ok", new BsonDouble(1)));
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(users.loaded(ALICE)).isTrue();
    }
}
