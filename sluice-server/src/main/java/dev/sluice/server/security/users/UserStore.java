package dev.sluice.server.security.users;

import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sluice's users and roles: an immutable {@link UserSnapshot} answered from memory (so
 * {@link UserDirectory} may be called on an event loop), reloaded from the {@link UserStorage}
 * every {@code refreshPeriod} (so that every Sluice in front of the same backend sees the others'
 * changes), and replaced at once after each local change.
 *
 * <p>Concurrency: changes ({@link #modify}) are serialized by one lock, re-read the storage first
 * (so they validate against other Sluices' latest writes) and publish the new snapshot before the
 * lock is released. A periodic refresh reads without the lock and publishes only if no local change
 * happened meanwhile (a refresh that raced a change would otherwise undo it until the next one).
 *
 * <p>Until a first load has succeeded, {@link #isEmpty()} is false: a backend that cannot be read
 * must not open mongod's localhost exception.
 */
public final class UserStore implements UserDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private final UserStorage storage;
    private final Duration refreshPeriod;
    private final Object changeLock = new Object();
    private volatile UserSnapshot snapshot = UserSnapshot.EMPTY;
    private volatile boolean loaded;
    /** Bumped by every local change; a refresh that saw another value does not publish. */
    private long changeCount;
    private Set<String> reportedBadDocuments = Set.of();
    private ScheduledExecutorService scheduler;

    /** @param refreshPeriod how often {@link #start()} reloads the storage */
    public UserStore(UserStorage storage, Duration refreshPeriod) {
        this.storage = Objects.requireNonNull(storage, "storage");
        if (refreshPeriod.isNegative() || refreshPeriod.isZero()) {
            throw new IllegalArgumentException("refreshPeriod: " + refreshPeriod + " (expected: > 0)");
        }
        this.refreshPeriod = refreshPeriod;
    }

    /**
     * Reloads the storage every refresh period on a daemon thread ({@code sluice-user-refresh}),
     * the first time one period from now: call {@link #refresh()} first to load at start. A failed
     * refresh is logged (WARN) and the last snapshot kept.
     */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-user-refresh");
            thread.setDaemon(true);
            return thread;
        });
        long periodMS = refreshPeriod.toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshLogged, periodMS, periodMS, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads every user and role from the storage and publishes them.
     *
     * @throws UserStorageException when the storage cannot be read (the last snapshot stays)
     */
    public void refresh() {
        long before;
        synchronized (changeLock) {
            before = changeCount;
        }
        StoredDocuments documents = storage.loadAll();
        synchronized (changeLock) {
            if (changeCount == before) {
                publish(documents);
            }
        }
    }

    /** The users and roles now. */
    public UserSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Runs one management change: reloads the storage, lets {@code plan} validate against that
     * fresh snapshot and return the writes, then writes them in order and publishes the result. A
     * write that fails stops the rest; the writes done so far are kept and published (the storage
     * has them), as mongod leaves a partly done {@code dropRole}.
     *
     * @param plan returns the writes, or throws to refuse the command (nothing is written then)
     * @return the writes made
     * @throws UserStorageException when the storage fails (a duplicate insert is a {@link DuplicateIdException})
     */
    public List<Change> modify(Function<UserSnapshot, List<Change>> plan) {
        synchronized (changeLock) {
            changeCount++;
            publish(storage.loadAll());
            List<Change> changes = plan.apply(snapshot);
            List<Change> done = new ArrayList<>(changes.size());
            try {
                for (Change change : changes) {
                    write(change);
                    done.add(change);
                }
            } finally {
                snapshot = snapshot.with(done);
            }
            return done;
        }
    }

    private void write(Change change) {
        if (change instanceof Change.PutUser put) {
            if (put.create()) {
                storage.insertUser(put.user().toDocument());
            } else {
                storage.replaceUser(put.user().toDocument());
            }
        } else if (change instanceof Change.DeleteUser delete) {
            storage.deleteUser(StoredUser.id(delete.name()));
        } else if (change instanceof Change.PutRole put) {
            if (put.create()) {
                storage.insertRole(RoleDocuments.toDocument(put.role()));
            } else {
                storage.replaceRole(RoleDocuments.toDocument(put.role()));
            }
        } else if (change instanceof Change.DeleteRole delete) {
            storage.deleteRole(RoleDocuments.id(delete.name()));
        }
    }

    /** Called with {@link #changeLock} held. */
    private void publish(StoredDocuments documents) {
        Set<String> bad = new HashSet<>();
        snapshot = UserSnapshot.of(documents, (id, reason) -> {
            bad.add(id);
            if (!reportedBadDocuments.contains(id)) {
                LOG.warn("[users] ignoring {}: {} (that user or role does not exist for Sluice until the document "
                        + "is fixed)", id, reason);
            }
        });
        reportedBadDocuments = bad;
        loaded = true;
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("[users] refreshing users and roles from {}.{} and {}.{} failed, keeping the last ones read: {}",
                    UserStorage.RESERVED_DATABASE, UserStorage.USERS_COLLECTION, UserStorage.RESERVED_DATABASE,
                    UserStorage.ROLES_COLLECTION, e.getMessage());
        }
    }

    @Override
    public Optional<ScramCredentials> credentials(UserName user, ScramMechanism mechanism) {
        return snapshot.user(user).map(stored -> stored.credentials().get(mechanism));
    }

    @Override
    public List<ScramMechanism> mechanisms(UserName user) {
        return snapshot.user(user).map(StoredUser::mechanisms).orElse(List.of());
    }

    @Override
    public Optional<Subject> subject(UserName user) {
        return snapshot.subject(user);
    }

    @Override
    public boolean isEmpty() {
        return loaded && snapshot.users().isEmpty();
    }

    /** Stops the periodic refresh. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
