package dev.sluice.server.security.authz;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.sluice.server.security.authz.ActionType.*;

/**
 * The privileges of an aggregation pipeline, as mongod computes them: {@code find} on the
 * aggregated namespace unless the first stage is an initial source ({@code $collStats},
 * {@code $documents}, {@code $currentOp}, ...); {@code find} on every namespace read by
 * {@code $lookup}, {@code $graphLookup} and {@code $unionWith}, with their sub-pipelines and those
 * of {@code $facet}; the writes of {@code $out} ({@code insert}, {@code remove}) and {@code $merge}
 * (by its whenMatched/whenNotMatched modes), plus {@code bypassDocumentValidation} when asked.
 */
final class PipelinePrivileges {
    /** mongod's internalPipelineLengthLimit-style bound on nesting ($lookup in $facet in $unionWith...). */
    static final int MAX_DEPTH = 20;

    private static final Set<String> INITIAL_SOURCES = Set.of("$collStats", "$indexStats", "$currentOp",
            "$listLocalSessions", "$listSessions", "$changeStream", "$documents", "$planCacheStats",
            "$listSearchIndexes", "$queryStats", "$querySettings", "$listSampledQueries",
            "$shardedDataDistribution", "$listCatalog", "$listClusterCatalog", "$listCachedAndActiveUsers");

    private PipelinePrivileges() {
    }

    /**
     * Privileges of {@code aggregate} on {@code target} (a namespace, or the database for
     * {@code aggregate: 1}).
     */
    static void aggregate(String db, Resource target, BsonArray pipeline, boolean bypass, List<AccessCheck> out) {
        if (pipeline.isEmpty() || !isInitialSource(pipeline.get(0))) {
            out.add(AccessCheck.granted(target, FIND));
        }
        stages(db, target, pipeline, bypass, out, 0);
    }

    /** Privileges of the stages only (no implicit read of {@code target}). */
    static void stages(String db, Resource target, BsonArray pipeline, boolean bypass, List<AccessCheck> out,
                       int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedCommand("pipeline nested deeper than " + MAX_DEPTH + " levels");
        }
        for (BsonValue value : pipeline) {
            BsonDocument stage = CommandArgs.document(value, "pipeline stage");
            if (stage.size() != 1) {
                throw new MalformedCommand("a pipeline stage must have exactly one field, found " + stage.size());
            }
            String name = stage.getFirstKey();
            stage(db, target, name, stage.get(name), bypass, out, depth);
        }
    }

    private static void stage(String db, Resource target, String name, BsonValue spec, boolean bypass,
                              List<AccessCheck> out, int depth) {
        switch (name) {
            case "$lookup": {
                BsonDocument lookup = CommandArgs.document(spec, "$lookup");
                Resource from = target;
                if (lookup.containsKey("from")) {
                    from = foreign(db, lookup.get("from"), "$lookup.from");
                    out.add(AccessCheck.granted(from, FIND));
                }
                if (lookup.containsKey("pipeline")) {
                    stages(db, from, CommandArgs.array(lookup.get("pipeline"), "$lookup.pipeline"), bypass, out,
                            depth + 1);
                }
                break;
            }
            case "$graphLookup":
                out.add(AccessCheck.granted(foreign(db, CommandArgs.document(spec, "$graphLookup").get("from"),
                        "$graphLookup.from"), FIND));
                break;
            case "$unionWith": {
                if (spec.isString()) {
                    out.add(AccessCheck.granted(CommandArgs.collection(db, spec), FIND));
                    break;
                }
                BsonDocument union = CommandArgs.document(spec, "$unionWith");
                Resource coll = target;
                if (union.containsKey("coll")) {
                    coll = foreign(db, union.get("coll"), "$unionWith.coll");
                }
                BsonArray sub = union.containsKey("pipeline")
                        ? CommandArgs.array(union.get("pipeline"), "$unionWith.pipeline") : new BsonArray();
                if (union.containsKey("coll") && (sub.isEmpty() || !isInitialSource(sub.get(0)))) {
                    out.add(AccessCheck.granted(coll, FIND));
                }
                stages(db, coll, sub, bypass, out, depth + 1);
                break;
            }
            case "$facet":
                for (var facet : CommandArgs.document(spec, "$facet").entrySet()) {
                    stages(db, target, CommandArgs.array(facet.getValue(), "$facet." + facet.getKey()), bypass, out,
                            depth + 1);
                }
                break;
            case "$out":
                out.add(write(outTarget(db, spec), bypass, INSERT, REMOVE));
                break;
            case "$merge":
                merge(db, spec, bypass, out);
                break;
            case "$collStats":
                out.add(AccessCheck.granted(target, COLL_STATS));
                break;
            case "$indexStats":
                out.add(AccessCheck.granted(target, INDEX_STATS));
                break;
            case "$planCacheStats":
                out.add(AccessCheck.granted(target, PLAN_CACHE_READ));
                break;
            case "$listSearchIndexes":
                out.add(AccessCheck.granted(target, LIST_SEARCH_INDEXES));
                break;
            case "$changeStream":
                out.add(AccessCheck.granted(changeStreamTarget(db, target, spec), CHANGE_STREAM, FIND));
                break;
            // with allUsers or not: upstream, every client's operations and sessions are Sluice's service user's
            // (CommandPrivileges.AUTHENTICATED_ONLY says why)
            case "$currentOp":
                out.add(AccessCheck.granted(Resource.cluster(), INPROG));
                break;
            case "$listSessions":
            case "$listLocalSessions":
                out.add(AccessCheck.granted(Resource.cluster(), LIST_SESSIONS));
                break;
            case "$queryStats":
                out.add(AccessCheck.granted(Resource.cluster(), QUERY_STATS_READ));
                break;
            case "$querySettings":
                out.add(AccessCheck.granted(Resource.cluster(), QUERY_SETTINGS));
                break;
            case "$listSampledQueries":
                out.add(AccessCheck.granted(Resource.cluster(), LIST_SAMPLED_QUERIES));
                break;
            case "$shardedDataDistribution":
                out.add(AccessCheck.granted(Resource.cluster(), SHARDED_DATA_DISTRIBUTION));
                break;
            case "$listCatalog":
            case "$listClusterCatalog":
                out.add(AccessCheck.granted(Resource.anyResource(), LIST_COLLECTIONS));
                break;
            case "$listCachedAndActiveUsers":
                out.add(AccessCheck.granted(Resource.anyNormal(), LIST_CACHED_AND_ACTIVE_USERS));
                break;
            default:
                // Other stages ($match, $group, $search, ...) read only what flows in.
                break;
        }
    }

    private static boolean isInitialSource(BsonValue stage) {
        return stage.isDocument() && stage.asDocument().size() == 1
                && INITIAL_SOURCES.contains(stage.asDocument().getFirstKey());
    }

    /** {@code "coll"} in the same database, or {@code {db, coll}}. */
    private static Resource foreign(String db, BsonValue value, String field) {
        if (value != null && value.isDocument()) {
            BsonDocument ns = value.asDocument();
            return CommandArgs.collection(CommandArgs.string(ns, "db"), ns.get("coll"));
        }
        if (value == null || !value.isString()) {
            throw new MalformedCommand(field + ": " + CommandArgs.type(value)
                    + " (expected: a collection name or {db, coll})");
        }
        return CommandArgs.collection(db, value);
    }

    private static Resource outTarget(String db, BsonValue spec) {
        if (spec.isString()) {
            return CommandArgs.collection(db, spec);
        }
        BsonDocument out = CommandArgs.document(spec, "$out");
        String outDb = out.containsKey("db") ? CommandArgs.string(out, "db") : db;
        return CommandArgs.collection(outDb, out.get("coll"));
    }

    private static void merge(String db, BsonValue spec, boolean bypass, List<AccessCheck> out) {
        if (spec.isString()) {
            out.add(write(CommandArgs.collection(db, spec), bypass, INSERT, UPDATE));
            return;
        }
        BsonDocument merge = CommandArgs.document(spec, "$merge");
        Resource into = merge.get("into") != null && merge.get("into").isDocument()
                ? outTarget(db, merge.get("into")) : foreign(db, merge.get("into"), "$merge.into");
        BsonValue whenMatched = merge.get("whenMatched");
        String matched = whenMatched == null ? "merge" : whenMatched.isArray() ? "pipeline"
                : whenMatched.isString() ? whenMatched.asString().getValue() : "merge";
        String notMatched = merge.containsKey("whenNotMatched") ? CommandArgs.string(merge, "whenNotMatched")
                : "insert";
        EnumSet<ActionType> actions = EnumSet.noneOf(ActionType.class);
        if (notMatched.equals("insert")) {
            actions.add(INSERT);
        }
        if (!matched.equals("fail") || !notMatched.equals("insert")) {
            actions.add(UPDATE);
        }
        out.add(write(into, bypass, actions.toArray(new ActionType[0])));
    }

    private static AccessCheck write(Resource target, boolean bypass, ActionType... actions) {
        EnumSet<ActionType> all = EnumSet.noneOf(ActionType.class);
        all.addAll(List.of(actions));
        if (bypass) {
            all.add(BYPASS_DOCUMENT_VALIDATION);
        }
        return new AccessCheck.Granted(Privilege.of(target, all));
    }

    private static Resource changeStreamTarget(String db, Resource target, BsonValue spec) {
        if (spec.isDocument() && CommandArgs.isTrue(spec.asDocument(), "allChangesForCluster")) {
            return Resource.anyNormal();
        }
        return target.kind() == Resource.Kind.EXACT_NAMESPACE ? target : Resource.database(db);
    }
}
