package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code listConnections} with a {@link RowFilter} and a real cursor, and the {@code getMore} and
 * {@code killCursors} that read and close it, in the shape of mongod's cursor commands:
 * {@code {cursor: {id, ns: "admin.$cmd.listConnections", firstBatch|nextBatch: [...]}, ok: 1}}.
 *
 * <p>The rows are a snapshot taken when listConnections runs. The first batch holds
 * {@code cursor.batchSize} rows, {@value #DEFAULT_FIRST_BATCH} by default (as mongod); a getMore
 * returns {@code batchSize} rows, or every row left by default. No batch exceeds
 * {@value #MAX_BATCH_BYTES} bytes of rows, whatever the batch size. When the rows are all returned
 * the cursor id is 0 (so with up to 101 connections and no batchSize the reply is one batch and id 0).
 */
final class ListConnections {
    static final String NS = "admin.$cmd.listConnections";
    static final String COLLECTION = "$cmd.listConnections";
    static final int DEFAULT_FIRST_BATCH = 101;
    static final int MAX_BATCH_BYTES = 8 << 20;
    private static final BsonDouble OK = new BsonDouble(1);

    private final ConnectionAdmin admin;
    private final ConnectionCursors cursors;
    private final int maxAdminIds;

    ListConnections(ConnectionAdmin admin, ConnectionCursors cursors, int maxAdminIds) {
        this.admin = admin;
        this.cursors = cursors;
        this.maxAdminIds = maxAdminIds;
    }

    /** Whether a getMore or killCursors names these cursors (and must not be forwarded upstream). */
    static boolean isCursorCommand(String name, BsonDocument command, String database) {
        if (!"admin".equals(database) || command == null) {
            return false;
        }
        BsonValue target = switch (name) {
            case "getMore" -> command.get("collection");
            case "killCursors" -> command.get("killCursors");
            default -> null;
        };
        return target != null && target.isString() && COLLECTION.equals(target.asString().getValue());
    }

    private volatile java.util.function.Supplier<FleetConnections> fleet = () -> null;

    void fleet(java.util.function.Supplier<FleetConnections> supplier) {
        this.fleet = supplier;
    }

    BsonDocument list(BsonDocument command, ConnectionEntry caller) {
        RowFilter filter = RowFilter.parse(command.get("filter"), maxAdminIds);
        int batchSize = firstBatchSize(command.get("cursor"));
        List<String> unreachable = new ArrayList<>();
        List<ConnectionView> all = fleetWide(command) ? fleetList(caller, unreachable) : admin.list(caller);
        List<ConnectionView> rows = new ArrayList<>(all.size());
        for (ConnectionView view : all) {
            if (filter.matchesAll() || filter.matches(BsonViews.connection(view))) {
                rows.add(view);
            }
        }
        BsonArray batch = new BsonArray();
        int end = fill(batch, rows, 0, batchSize);
        long id = end < rows.size() ? cursors.open(caller, rows, end) : 0;
        BsonDocument reply = reply(id, "firstBatch", batch);
        if (fleetWide(command)) {
            BsonArray missing = new BsonArray();
            unreachable.forEach(u -> missing.add(new BsonString(u)));
            reply.put("unreachableInstances", missing);
        }
        return reply;
    }

    private static boolean fleetWide(BsonDocument command) {
        BsonValue value = command.get("fleet");
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw CommandFailure.wrongType("fleet", value, "bool");
        }
        return value.asBoolean().getValue();
    }

    private List<ConnectionView> fleetList(ConnectionEntry caller, List<String> unreachable) {
        FleetConnections f = fleet.get();
        if (f == null) {
            throw CommandFailure.badValue("fleet: true lists the connections of every Sluice of a fleet, and this Sluice "
                    + "is in none (fleet.enabled, with an upstream)");
        }
        return f.list(admin.scopeOf(caller), AdminCommands.requester(caller), unreachable);
    }

    BsonDocument getMore(BsonDocument command, ConnectionEntry caller) {
        long id = ArrayArguments.integral(command.get("getMore"), "getMore");
        BsonValue size = command.get("batchSize");
        int batchSize = Integer.MAX_VALUE;
        if (size != null) {
            long n = ArrayArguments.integral(size, "batchSize");
            if (n <= 0) {
                throw CommandFailure.badValue("Batch size for getMore must be positive, but received: " + n);
            }
            batchSize = (int) Math.min(n, Integer.MAX_VALUE);
        }
        ConnectionCursors.Cursor cursor = cursors.take(id, caller);
        BsonArray batch = new BsonArray();
        cursor.advanceTo(fill(batch, cursor.rows(), cursor.next(), batchSize));
        if (cursor.exhausted()) {
            return reply(0, "nextBatch", batch);
        }
        cursors.giveBack(cursor);
        return reply(id, "nextBatch", batch);
    }

    BsonDocument killCursors(BsonDocument command, ConnectionEntry caller) {
        List<Long> ids = ArrayArguments.longs(command.get("cursors"), "killCursors.cursors", maxAdminIds);
        BsonArray killed = new BsonArray();
        BsonArray notFound = new BsonArray();
        for (long id : ids) {
            (cursors.kill(id, caller) ? killed : notFound).add(new BsonInt64(id));
        }
        return new BsonDocument("cursorsKilled", killed)
                .append("cursorsNotFound", notFound)
                .append("cursorsAlive", new BsonArray())
                .append("cursorsUnknown", new BsonArray())
                .append("ok", OK);
    }

    /** Adds rows from {@code from} to {@code batch}, up to {@code batchSize} rows and the byte cap; returns the next index. */
    private static int fill(BsonArray batch, List<ConnectionView> rows, int from, int batchSize) {
        long bytes = 0;
        int i = from;
        BsonViews.ConnectionRows encoded = new BsonViews.ConnectionRows();
        while (i < rows.size() && i - from < batchSize) {
            ConnectionView view = rows.get(i);
            bytes += BsonViews.maxEncodedSize(view);
            if (bytes > MAX_BATCH_BYTES && i > from) {
                break;
            }
            batch.add(encoded.add(view));
            i++;
        }
        return i;
    }

    private static int firstBatchSize(BsonValue cursor) {
        if (cursor == null) {
            return DEFAULT_FIRST_BATCH;
        }
        if (!cursor.isDocument()) {
            throw CommandFailure.wrongType("listConnections.cursor", cursor, "object");
        }
        BsonValue size = cursor.asDocument().get("batchSize");
        if (size == null) {
            return DEFAULT_FIRST_BATCH;
        }
        long n = ArrayArguments.integral(size, "listConnections.cursor.batchSize");
        if (n < 0) {
            throw CommandFailure.badValue("BatchSize value must be non-negative, but received: " + n);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static BsonDocument reply(long id, String batchName, BsonArray batch) {
        BsonDocument cursor = new BsonDocument()
                .append("id", new BsonInt64(id))
                .append("ns", new BsonString(NS))
                .append(batchName, batch);
        return new BsonDocument("cursor", cursor).append("ok", OK);
    }
}
