package dev.sluice.server.security.users;

import dev.sluice.server.route.InternalCommands;
import dev.sluice.server.upstream.UpstreamException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Users and roles in Sluice's backend, in {@code sluice.users} and {@code sluice.roles}, through
 * {@link InternalCommands} (the same pools and routing as clients' operations). Reads page with
 * {@code find}/{@code getMore}; writes use {@code w: "majority"} so that every Sluice in front of the
 * cluster reads them after its next refresh; inserts rely on the unique {@code _id} index for an
 * atomic "already exists". Each call blocks at most {@code timeout} per round trip.
 */
public final class BackendUserStorage implements UserStorage {
    /** Documents per {@code find}/{@code getMore} batch. */
    public static final int BATCH_SIZE = 1_000;
    /** Most documents one collection may hold: a longer cursor is refused, not loaded without end. */
    public static final int MAX_DOCUMENTS = 1_000_000;

    private static final BsonDocument MAJORITY = new BsonDocument("w", new BsonString("majority"));

    private final InternalCommands commands;
    private final Duration timeout;

    /** @param timeout how long one backend round trip may take before the call fails with NetworkTimeout */
    public BackendUserStorage(InternalCommands commands, Duration timeout) {
        this.commands = Objects.requireNonNull(commands, "commands");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
    }

    @Override
    public StoredDocuments loadAll() {
        return new StoredDocuments(findAll(USERS_COLLECTION), findAll(ROLES_COLLECTION));
    }

    @Override
    public void insertUser(BsonDocument user) {
        insert(USERS_COLLECTION, user);
    }

    @Override
    public void replaceUser(BsonDocument user) {
        replace(USERS_COLLECTION, user);
    }

    @Override
    public boolean deleteUser(String id) {
        return delete(USERS_COLLECTION, id);
    }

    @Override
    public void insertRole(BsonDocument role) {
        insert(ROLES_COLLECTION, role);
    }

    @Override
    public void replaceRole(BsonDocument role) {
        replace(ROLES_COLLECTION, role);
    }

    @Override
    public boolean deleteRole(String id) {
        return delete(ROLES_COLLECTION, id);
    }

    private List<BsonDocument> findAll(String collection) {
        List<BsonDocument> out = new ArrayList<>();
        BsonDocument reply = run(collection, new BsonDocument("find", new BsonString(collection))
                .append("filter", new BsonDocument())
                .append("batchSize", new BsonInt32(BATCH_SIZE)));
        BsonDocument cursor = cursor(collection, reply);
        addBatch(collection, cursor.get("firstBatch"), out);
        long id = cursor.getNumber("id", new BsonInt64(0)).longValue();
        while (id != 0) {
            reply = run(collection, new BsonDocument("getMore", new BsonInt64(id))
                    .append("collection", new BsonString(collection))
                    .append("batchSize", new BsonInt32(BATCH_SIZE)));
            cursor = cursor(collection, reply);
            addBatch(collection, cursor.get("nextBatch"), out);
            id = cursor.getNumber("id", new BsonInt64(0)).longValue();
        }
        return out;
    }

    private static BsonDocument cursor(String collection, BsonDocument reply) {
        BsonValue cursor = reply.get("cursor");
        if (cursor == null || !cursor.isDocument()) {
            throw new UserStorageException(1, "InternalError", "reading " + RESERVED_DATABASE + "." + collection
                    + ": reply without a cursor: " + reply.toJson(), null);
        }
        return cursor.asDocument();
    }

    private static void addBatch(String collection, BsonValue batch, List<BsonDocument> out) {
        if (batch == null || !batch.isArray()) {
            throw new UserStorageException(1, "InternalError", "reading " + RESERVED_DATABASE + "." + collection
                    + ": cursor without a batch", null);
        }
        for (BsonValue document : batch.asArray()) {
            if (out.size() >= MAX_DOCUMENTS) {
                throw new UserStorageException(1, "InternalError", RESERVED_DATABASE + "." + collection
                        + " holds more than BackendUserStorage.MAX_DOCUMENTS = " + MAX_DOCUMENTS + " documents", null);
            }
            out.add(document.asDocument());
        }
    }

    private void insert(String collection, BsonDocument document) {
        BsonDocument reply = run(collection, new BsonDocument("insert", new BsonString(collection))
                .append("documents", new BsonArray(List.of(document)))
                .append("writeConcern", MAJORITY));
        BsonDocument writeError = firstWriteError(reply);
        if (writeError != null) {
            int code = writeError.getNumber("code", new BsonInt32(0)).intValue();
            if (code == 11000) {
                throw new DuplicateIdException(collection, document.getString("_id").getValue());
            }
            throw writeFailure(collection, writeError);
        }
        checkWriteConcern(collection, reply);
    }

    private void replace(String collection, BsonDocument document) {
        BsonDocument update = new BsonDocument("q", new BsonDocument("_id", document.get("_id")))
                .append("u", document)
                .append("upsert", org.bson.BsonBoolean.TRUE);
        BsonDocument reply = run(collection, new BsonDocument("update", new BsonString(collection))
                .append("updates", new BsonArray(List.of(update)))
                .append("writeConcern", MAJORITY));
        BsonDocument writeError = firstWriteError(reply);
        if (writeError != null) {
            throw writeFailure(collection, writeError);
        }
        checkWriteConcern(collection, reply);
    }

    private boolean delete(String collection, String id) {
        BsonDocument delete = new BsonDocument("q", new BsonDocument("_id", new BsonString(id)))
                .append("limit", new BsonInt32(1));
        BsonDocument reply = run(collection, new BsonDocument("delete", new BsonString(collection))
                .append("deletes", new BsonArray(List.of(delete)))
                .append("writeConcern", MAJORITY));
        BsonDocument writeError = firstWriteError(reply);
        if (writeError != null) {
            throw writeFailure(collection, writeError);
        }
        checkWriteConcern(collection, reply);
        return reply.getNumber("n", new BsonInt32(0)).intValue() > 0;
    }

    private static BsonDocument firstWriteError(BsonDocument reply) {
        BsonValue errors = reply.get("writeErrors");
        if (errors != null && errors.isArray() && !errors.asArray().isEmpty()) {
            return errors.asArray().get(0).asDocument();
        }
        return null;
    }

    private static UserStorageException writeFailure(String collection, BsonDocument error) {
        return new UserStorageException(error.getNumber("code", new BsonInt32(8)).intValue(),
                error.getString("codeName", new BsonString("UnknownError")).getValue(),
                "writing " + RESERVED_DATABASE + "." + collection + ": " + error.getString("errmsg", new BsonString(""))
                        .getValue(), null);
    }

    private static void checkWriteConcern(String collection, BsonDocument reply) {
        BsonValue error = reply.get("writeConcernError");
        if (error != null && error.isDocument()) {
            throw writeFailure(collection, error.asDocument());
        }
    }

    /** Runs one command in the reserved database; an {@code ok: 0} reply becomes its error. */
    private BsonDocument run(String collection, BsonDocument command) {
        String what = command.getFirstKey() + " on " + RESERVED_DATABASE + "." + collection;
        BsonDocument reply;
        try {
            reply = commands.run(RESERVED_DATABASE, command).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UserStorageException(89, "NetworkTimeout", what + ": no reply within " + timeout.toMillis()
                    + " ms (the user storage timeout)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserStorageException(11601, "Interrupted", what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpstreamException) {
                UpstreamException upstream = (UpstreamException) cause;
                throw new UserStorageException(upstream.kind().code(), upstream.kind().codeName(),
                        what + ": " + upstream.getMessage(), upstream);
            }
            if (cause instanceof TimeoutException) {
                throw new UserStorageException(89, "NetworkTimeout", what + ": no reply in time", cause);
            }
            throw new UserStorageException(1, "InternalError", what + ": " + cause, cause);
        }
        if (!reply.containsKey("ok") || !reply.get("ok").isNumber() || reply.getNumber("ok").doubleValue() != 1) {
            throw new UserStorageException(reply.getNumber("code", new BsonInt32(8)).intValue(),
                    reply.getString("codeName", new BsonString("UnknownError")).getValue(),
                    what + ": " + reply.getString("errmsg", new BsonString(reply.toJson())).getValue(), null);
        }
        return reply;
    }
}
