package dev.sluice.server.security.authz;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static dev.sluice.server.security.authz.ActionType.*;

/**
 * Privileges of the data commands (CRUD, aggregate, cursors, indexes, collections, databases), as
 * mongod's checkAuthFor* functions compute them. Write commands are read from the command body:
 * OP_MSG document sequences that are read ({@code updates}, a bulkWrite's {@code ops} and {@code nsInfo}) must be
 * merged into the body as arrays before asking, as mongod parses them; an insert's {@code documents} and a delete's
 * {@code deletes} are not read.
 */
final class DataPrivileges {
    private DataPrivileges() {
    }

    /** The checks for {@code name}, or null when it is not a data command. */
    static List<AccessCheck> of(String name, BsonDocument command, String db) {
        BsonValue first = command.get(name);
        Resource ns = CommandArgs.collection(db, first);
        boolean bypass = CommandArgs.isTrue(command, "bypassDocumentValidation");
        List<AccessCheck> out = new ArrayList<>();
        switch (name) {
            case "find":
            case "count":
            case "distinct":
            case "dataSize":
            case "datasize":
                out.add(AccessCheck.granted(name.startsWith("data") ? dataSizeNamespace(command, name) : ns, FIND));
                return out;
            case "insert":
                out.add(write(ns, bypass, INSERT));
                return out;
            case "update":
                out.add(write(ns, bypass, anyUpsert(command) ? new ActionType[] {UPDATE, INSERT}
                        : new ActionType[] {UPDATE}));
                return out;
            case "delete":
                out.add(AccessCheck.granted(ns, REMOVE));
                return out;
            case "findAndModify":
            case "findandmodify":
                out.add(findAndModify(ns, command, bypass));
                return out;
            case "aggregate":
                PipelinePrivileges.aggregate(db, ns, CommandArgs.array(command.get("pipeline"), "pipeline"), bypass,
                        out);
                return out;
            case "mapReduce":
            case "mapreduce":
                out.add(AccessCheck.granted(ns, FIND));
                mapReduceOutput(db, command.get("out"), bypass, out);
                return out;
            case "getMore":
                out.add(cursorNamespace(db, command.get("collection"), FIND));
                return out;
            case "killCursors": {
                Resource target = CommandArgs.collection(db, first);
                out.add(AccessCheck.anyOf(AccessCheck.granted(target, KILL_CURSORS),
                        AccessCheck.granted(target, KILL_ANY_CURSOR),
                        AccessCheck.granted(Resource.cluster(), KILL_ANY_CURSOR)));
                return out;
            }
            case "createIndexes":
                out.add(AccessCheck.granted(ns, CREATE_INDEX));
                return out;
            case "dropIndexes":
            case "deleteIndexes":
                out.add(AccessCheck.granted(ns, DROP_INDEX));
                return out;
            case "listIndexes":
                out.add(AccessCheck.granted(ns, LIST_INDEXES));
                return out;
            case "create":
                create(db, ns, command, out);
                return out;
            case "collMod":
                out.add(AccessCheck.granted(ns, COLL_MOD));
                if (command.containsKey("viewOn") != command.containsKey("pipeline")) {
                    throw new MalformedCommand(
                            "Must specify both 'viewOn' and 'pipeline' when modifying a view and auth is enabled");
                }
                if (command.containsKey("viewOn")) {
                    out.add(viewPipeline(db, ns, command));
                }
                return out;
            case "drop":
                out.add(AccessCheck.granted(ns, DROP_COLLECTION));
                return out;
            case "dropDatabase":
                out.add(AccessCheck.granted(Resource.database(db), DROP_DATABASE));
                return out;
            case "listCollections":
                out.add(listCollections(db, command));
                return out;
            case "listDatabases":
                if (command.containsKey("authorizedDatabases") && !CommandArgs.isTrue(command, "authorizedDatabases")) {
                    out.add(AccessCheck.granted(Resource.cluster(), LIST_DATABASES));
                }
                return out;
            case "renameCollection":
                out.add(rename(command));
                return out;
            case "cloneCollectionAsCapped":
                out.add(AccessCheck.granted(ns, FIND));
                out.add(AccessCheck.granted(CommandArgs.collection(db, command.get("toCollection")), INSERT,
                        CREATE_COLLECTION));
                return out;
            case "bulkWrite":
                bulkWrite(command, bypass, out);
                return out;
            default:
                return null;
        }
    }

    private static AccessCheck write(Resource ns, boolean bypass, ActionType... actions) {
        EnumSet<ActionType> all = EnumSet.noneOf(ActionType.class);
        all.addAll(List.of(actions));
        if (bypass) {
            all.add(BYPASS_DOCUMENT_VALIDATION);
        }
        return new AccessCheck.Granted(Privilege.of(ns, all));
    }

    private static boolean anyUpsert(BsonDocument command) {
        BsonValue updates = command.get("updates");
        if (updates == null) {
            return false;
        }
        for (BsonValue statement : CommandArgs.array(updates, "updates")) {
            if (CommandArgs.isTrue(CommandArgs.document(statement, "updates element"), "upsert")) {
                return true;
            }
        }
        return false;
    }

    private static AccessCheck findAndModify(Resource ns, BsonDocument command, boolean bypass) {
        EnumSet<ActionType> actions = EnumSet.of(FIND);
        if (CommandArgs.isTrue(command, "remove")) {
            actions.add(REMOVE);
        } else {
            actions.add(UPDATE);
        }
        if (CommandArgs.isTrue(command, "upsert")) {
            actions.add(INSERT);
        }
        if (bypass) {
            actions.add(BYPASS_DOCUMENT_VALIDATION);
        }
        return new AccessCheck.Granted(Privilege.of(ns, actions));
    }

    private static Resource dataSizeNamespace(BsonDocument command, String name) {
        return CommandArgs.fullNamespace(command.get(name), name);
    }

    /** getMore on a listCollections/aggregate-1 cursor ("$cmd.*") needs only authentication, as in mongod. */
    private static AccessCheck cursorNamespace(String db, BsonValue collection, ActionType action) {
        if (collection != null && collection.isString() && collection.asString().getValue().startsWith("$cmd.")) {
            return AccessCheck.authenticated();
        }
        if (collection == null || !collection.isString()) {
            throw new MalformedCommand("collection: " + CommandArgs.type(collection) + " (expected: a string)");
        }
        return AccessCheck.granted(CommandArgs.collection(db, collection), action);
    }

    private static void mapReduceOutput(String db, BsonValue out, boolean bypass, List<AccessCheck> checks) {
        if (out == null) {
            throw new MalformedCommand("out: missing (expected: a collection name or an output document)");
        }
        if (out.isString()) {
            checks.add(write(CommandArgs.collection(db, out), bypass, INSERT, UPDATE, REMOVE));
            return;
        }
        BsonDocument spec = CommandArgs.document(out, "out");
        if (spec.containsKey("inline")) {
            return;
        }
        String outDb = spec.containsKey("db") ? CommandArgs.string(spec, "db") : db;
        for (String mode : List.of("replace", "merge", "reduce")) {
            if (spec.containsKey(mode)) {
                checks.add(write(CommandArgs.collection(outDb, spec.get(mode)), bypass, INSERT, UPDATE, REMOVE));
                return;
            }
        }
        throw new MalformedCommand("out: expected inline, replace, merge or reduce");
    }

    private static void create(String db, Resource ns, BsonDocument command, List<AccessCheck> out) {
        if (CommandArgs.isTrue(command, "capped")) {
            out.add(AccessCheck.granted(ns, CONVERT_TO_CAPPED));
        }
        if (command.containsKey("viewOn")) {
            // A view needs createCollection itself (insert is not enough) and, if the caller can
            // read the view, the privileges of its pipeline on the viewed namespace.
            out.add(AccessCheck.granted(ns, CREATE_COLLECTION));
            out.add(viewPipeline(db, ns, command));
            return;
        }
        out.add(AccessCheck.anyOf(AccessCheck.granted(ns, CREATE_COLLECTION), AccessCheck.granted(ns, INSERT)));
    }

    private static AccessCheck viewPipeline(String db, Resource view, BsonDocument command) {
        Resource viewOn = CommandArgs.collection(db, command.get("viewOn"));
        BsonArray pipeline = command.containsKey("pipeline")
                ? CommandArgs.array(command.get("pipeline"), "pipeline") : new BsonArray();
        List<AccessCheck> pipelineChecks = new ArrayList<>();
        PipelinePrivileges.aggregate(db, viewOn, pipeline, false, pipelineChecks);
        return AccessCheck.anyOf(new AccessCheck.Not(AccessCheck.granted(view, FIND)),
                AccessCheck.allOf(pipelineChecks));
    }

    private static AccessCheck listCollections(String db, BsonDocument command) {
        AccessCheck listCollections = AccessCheck.granted(Resource.database(db), LIST_COLLECTIONS);
        if (CommandArgs.isTrue(command, "authorizedCollections") && CommandArgs.isTrue(command, "nameOnly")) {
            return AccessCheck.anyOf(new AccessCheck.AnyActionInDatabase(db), listCollections);
        }
        return listCollections;
    }

    /**
     * mongod's rule: within one database (neither collection a system one), renameCollectionSameDB
     * on the database, dropCollection on the target with dropTarget, and either read access to the
     * source or no read access to the target; otherwise find+dropCollection on the source and
     * insert+createIndex(+dropCollection) on the target.
     */
    private static AccessCheck rename(BsonDocument command) {
        Resource source = CommandArgs.fullNamespace(command.get("renameCollection"), "renameCollection");
        Resource target = CommandArgs.fullNamespace(command.get("to"), "to");
        boolean dropTarget = CommandArgs.isTrue(command, "dropTarget");
        List<AccessCheck> general = new ArrayList<>();
        general.add(AccessCheck.granted(source, FIND, DROP_COLLECTION));
        general.add(dropTarget ? AccessCheck.granted(target, INSERT, CREATE_INDEX, DROP_COLLECTION)
                : AccessCheck.granted(target, INSERT, CREATE_INDEX));
        AccessCheck generalRule = AccessCheck.allOf(general);
        if (!source.db().equals(target.db()) || !source.isNormalCollection() || !target.isNormalCollection()) {
            return generalRule;
        }
        List<AccessCheck> sameDb = new ArrayList<>();
        sameDb.add(AccessCheck.granted(Resource.database(source.db()), RENAME_COLLECTION_SAME_DB));
        if (dropTarget) {
            sameDb.add(AccessCheck.granted(target, DROP_COLLECTION));
        }
        sameDb.add(AccessCheck.anyOf(AccessCheck.granted(source, FIND),
                new AccessCheck.Not(AccessCheck.granted(target, FIND))));
        return AccessCheck.anyOf(AccessCheck.allOf(sameDb), generalRule);
    }

    /** bulkWrite (admin-only): per operation, insert/update(+insert on upsert)/remove on its nsInfo namespace. */
    private static void bulkWrite(BsonDocument command, boolean bypass, List<AccessCheck> out) {
        BsonArray nsInfo = CommandArgs.array(command.get("nsInfo"), "nsInfo");
        List<EnumSet<ActionType>> actions = new ArrayList<>();
        List<Resource> namespaces = new ArrayList<>();
        for (BsonValue info : nsInfo) {
            namespaces.add(CommandArgs.fullNamespace(CommandArgs.document(info, "nsInfo element").get("ns"),
                    "nsInfo.ns"));
            actions.add(EnumSet.noneOf(ActionType.class));
        }
        for (BsonValue value : CommandArgs.array(command.get("ops"), "ops")) {
            BsonDocument op = CommandArgs.document(value, "ops element");
            String kind = op.isEmpty() ? "" : op.getFirstKey();
            BsonValue index = op.get(kind);
            if (index == null || !index.isNumber() || index.asNumber().intValue() < 0
                    || index.asNumber().intValue() >= namespaces.size()) {
                throw new MalformedCommand("ops: operation " + op.toJson() + " does not name an nsInfo index");
            }
            EnumSet<ActionType> set = actions.get(index.asNumber().intValue());
            switch (kind) {
                case "insert": set.add(INSERT); break;
                case "update":
                    set.add(UPDATE);
                    if (CommandArgs.isTrue(op, "upsert")) {
                        set.add(INSERT);
                    }
                    break;
                case "delete": set.add(REMOVE); break;
                default: throw new MalformedCommand("ops: unknown operation " + kind);
            }
            if (bypass && !set.isEmpty()) {
                set.add(BYPASS_DOCUMENT_VALIDATION);
            }
        }
        for (int i = 0; i < namespaces.size(); i++) {
            if (!actions.get(i).isEmpty()) {
                out.add(new AccessCheck.Granted(Privilege.of(namespaces.get(i), actions.get(i))));
            }
        }
    }
}
