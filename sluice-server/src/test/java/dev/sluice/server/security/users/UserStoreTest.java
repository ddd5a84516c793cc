package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class UserStoreTest {

    @Test
    void aUsersSubjectGrantsExactlyItsRolesPrivileges() {
        UsersFixture fx = new UsersFixture();
        fx.ok("admin", "{createRole: 'dropConnectionsRole', privileges: [{resource: {cluster: true}, "
                + "actions: ['dropConnections']}], roles: []}");
        fx.ok("admin", "{createUser: 'dropConnectionsUser', pwd: 'pw', roles: ['dropConnectionsRole']}");

        Subject subject = fx.store.subject(new UserName("dropConnectionsUser", "admin")).orElseThrow();

        assertThat(subject.privileges().isAuthorized(Resource.cluster(), ActionType.DROP_CONNECTIONS)).isTrue();
        assertThat(subject.privileges().isAuthorized(Resource.cluster(), ActionType.KILLOP)).isFalse();
        assertThat(subject.privileges().isAuthorized(Resource.namespace("test", "c"), ActionType.INSERT)).isFalse();
        assertThat(subject.privileges().isAuthorized(Resource.namespace("test", "c"), ActionType.FIND)).isFalse();
        assertThat(fx.store.subject(new UserName("dropConnectionsUser", "test"))).isEmpty();
    }

    @Test
    void subjectsFollowRoleChangesAtOnce() {
        UsersFixture fx = new UsersFixture();
        fx.ok("test", "{createRole: 'r', privileges: [], roles: []}");
        fx.ok("test", "{createUser: 'u', pwd: 'pw', roles: ['r']}");
        UserName u = new UserName("u", "test");
        assertThat(fx.store.subject(u).orElseThrow().privileges()
                .isAuthorized(Resource.namespace("test", "c"), ActionType.FIND)).isFalse();
        fx.ok("test", "{grantRolesToRole: 'r', roles: ['read']}");
        assertThat(fx.store.subject(u).orElseThrow().privileges()
                .isAuthorized(Resource.namespace("test", "c"), ActionType.FIND)).isTrue();
    }

    @Test
    void credentialsAndMechanismsComeFromTheSnapshot() {
        UsersFixture fx = new UsersFixture();
        fx.ok("admin", "{createUser: 'a', pwd: 'pw', roles: [], mechanisms: ['SCRAM-SHA-256']}");
        UserName a = new UserName("a", "admin");
        assertThat(fx.store.mechanisms(a)).containsExactly(ScramMechanism.SCRAM_SHA_256);
        assertThat(fx.store.credentials(a, ScramMechanism.SCRAM_SHA_256)).isPresent();
        assertThat(fx.store.credentials(a, ScramMechanism.SCRAM_SHA_1)).isEmpty();
        assertThat(fx.store.mechanisms(new UserName("b", "admin"))).isEmpty();
    }

    @Test
    void theLocalhostExceptionStaysClosedUntilTheStorageHasBeenRead() {
        FlakyStorage storage = new FlakyStorage();
        UserStore store = new UserStore(storage, Duration.ofSeconds(5));
        assertThat(store.isEmpty()).isFalse();
        storage.failing.set(true);
        assertThatThrownBy(store::refresh).isInstanceOf(UserStorageException.class);
        assertThat(store.isEmpty()).isFalse();
        storage.failing.set(false);
        store.refresh();
        assertThat(store.isEmpty()).isTrue();
    }

    @Test
    void aFailedRefreshKeepsTheLastSnapshot() {
        FlakyStorage storage = new FlakyStorage();
        UserStore store = new UserStore(storage, Duration.ofSeconds(5));
        commands(store).execute("createUser", BsonDocument.parse("{createUser: 'a', pwd: 'pw', roles: []}"),
                "admin", null, "127.0.0.1:1");
        storage.failing.set(true);
        assertThatThrownBy(store::refresh).isInstanceOf(UserStorageException.class).hasMessageContaining("backend down");
        assertThat(store.subject(new UserName("a", "admin"))).isPresent();
        BsonDocument reply = commands(store).execute("dropUser", BsonDocument.parse("{dropUser: 'a'}"), "admin",
                null, "127.0.0.1:1");
        assertThat(reply.getInt32("code").getValue()).isEqualTo(6);
        assertThat(reply.getString("codeName").getValue()).isEqualTo("HostUnreachable");
        assertThat(store.subject(new UserName("a", "admin"))).isPresent();
    }

    @Test
    void anotherStoreOnTheSameStorageSeesChangesAfterItsPeriodicRefresh() {
        InMemoryUserStorage storage = new InMemoryUserStorage();
        UserStore first = new UserStore(storage, Duration.ofSeconds(5));
        try (UserStore second = new UserStore(storage, Duration.ofMillis(20))) {
            second.refresh();
            second.start();
            commands(first).execute("createUser", BsonDocument.parse("{createUser: 'a', pwd: 'pw', roles: ['read']}"),
                    "test", null, "127.0.0.1:1");
            await().atMost(5, TimeUnit.SECONDS).until(() -> second.subject(new UserName("a", "test")).isPresent());
            assertThat(second.isEmpty()).isFalse();
        }
    }

    @Test
    void invalidateUserCacheReadsTheStorageAtOnce() {
        InMemoryUserStorage storage = new InMemoryUserStorage();
        UserStore first = new UserStore(storage, Duration.ofSeconds(5));
        UserStore second = new UserStore(storage, Duration.ofHours(1));
        second.refresh();
        commands(first).execute("createUser", BsonDocument.parse("{createUser: 'a', pwd: 'pw', roles: []}"),
                "admin", null, "127.0.0.1:1");
        assertThat(second.subject(new UserName("a", "admin"))).isEmpty();
        BsonDocument reply = commands(second).execute("invalidateUserCache",
                BsonDocument.parse("{invalidateUserCache: 1}"), "admin", null, "127.0.0.1:1");
        assertThat(reply.getNumber("ok").doubleValue()).isEqualTo(1.0);
        assertThat(second.subject(new UserName("a", "admin"))).isPresent();
    }

    @Test
    void aRefreshThatRacedALocalChangeDoesNotUndoIt() throws Exception {
        FlakyStorage storage = new FlakyStorage();
        UserStore store = new UserStore(storage, Duration.ofSeconds(5));
        store.refresh();
        storage.blockNextLoad();
        CompletableFuture<Void> refresh = CompletableFuture.runAsync(store::refresh);
        assertThat(storage.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
        commands(store).execute("createUser", BsonDocument.parse("{createUser: 'a', pwd: 'pw', roles: []}"),
                "admin", null, "127.0.0.1:1");
        storage.release.countDown();
        refresh.get(5, TimeUnit.SECONDS);
        assertThat(store.subject(new UserName("a", "admin"))).isPresent();
    }

    @Test
    void anUnreadableDocumentIsLeftOutAndTheOthersAreServed() {
        InMemoryUserStorage storage = new InMemoryUserStorage();
        storage.replaceUser(BsonDocument.parse("{_id: 'admin.broken', user: 'broken', db: 'admin', roles: []}"));
        UserStore store = new UserStore(storage, Duration.ofSeconds(5));
        commands(store).execute("createUser", BsonDocument.parse("{createUser: 'ok', pwd: 'pw', roles: []}"),
                "admin", null, "127.0.0.1:1");
        store.refresh();
        assertThat(store.subject(new UserName("ok", "admin"))).isPresent();
        assertThat(store.subject(new UserName("broken", "admin"))).isEmpty();
    }

    private static UserAdminCommands commands(UserStore store) {
        return new UserAdminCommands(store, new Audit(event -> { }), true, new SecureRandom());
    }

    /** In-memory storage that can fail or hold one load until released. */
    private static final class FlakyStorage implements UserStorage {
        final InMemoryUserStorage delegate = new InMemoryUserStorage();
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger blocked = new AtomicInteger();
        final CountDownLatch loadStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void blockNextLoad() {
            blocked.set(1);
        }

        private void check() {
            if (failing.get()) {
                throw new UserStorageException(6, "HostUnreachable", "backend down", null);
            }
        }

        @Override
        public StoredDocuments loadAll() {
            check();
            StoredDocuments documents = delegate.loadAll();
            if (blocked.compareAndSet(1, 0)) {
                loadStarted.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return documents;
        }

        @Override
        public void insertUser(BsonDocument user) {
            check();
            delegate.insertUser(user);
        }

        @Override
        public void replaceUser(BsonDocument user) {
            check();
            delegate.replaceUser(user);
        }

        @Override
        public boolean deleteUser(String id) {
            check();
            return delegate.deleteUser(id);
        }

        @Override
        public void insertRole(BsonDocument role) {
            check();
            delegate.insertRole(role);
        }

        @Override
        public void replaceRole(BsonDocument role) {
            check();
            delegate.replaceRole(role);
        }

        @Override
        public boolean deleteRole(String id) {
            check();
            return delegate.deleteRole(id);
        }
    }
}
