package dev.sluice.server.security.authz;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/** Reading the arguments authorization depends on, with mongod's loose truthiness. */
final class CommandArgs {
    private CommandArgs() {
    }

    /**
     * The resource of the collection named by {@code value} in {@code db}: the namespace, or (as
     * mongod does for a name that is not a valid collection, e.g. a UUID) the whole database.
     */
    static Resource collection(String db, BsonValue value) {
        if (value != null && value.isString()) {
            String name = value.asString().getValue();
            if (!name.isEmpty() && name.indexOf('\0') < 0 && !name.startsWith(".") && !name.startsWith("$")) {
                return Resource.namespace(db, name);
            }
        }
        return Resource.database(db);
    }

    /** A full namespace "db.coll" (renameCollection, bulkWrite nsInfo). */
    static Resource fullNamespace(BsonValue value, String field) {
        if (value == null || !value.isString()) {
            throw new MalformedCommand(field + ": " + type(value) + " (expected: a \"db.collection\" string)");
        }
        String ns = value.asString().getValue();
        int dot = ns.indexOf('.');
        if (dot <= 0 || dot == ns.length() - 1) {
            throw new MalformedCommand(field + ": \"" + ns + "\" (expected: \"db.collection\")");
        }
        return Resource.namespace(ns.substring(0, dot), ns.substring(dot + 1));
    }

    /** mongod's trueValue(): true for true, non-zero numbers, and any non-null, non-false value but undefined. */
    static boolean isTrue(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        if (value == null || value.isNull() || value.getBsonType() == org.bson.BsonType.UNDEFINED) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        if (value.isNumber()) {
            return value.asNumber().doubleValue() != 0;
        }
        if (value.isDecimal128()) {
            return value.asDecimal128().doubleValue() != 0;
        }
        return true;
    }

    static String string(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        if (value == null || !value.isString()) {
            throw new MalformedCommand(field + ": " + type(value) + " (expected: a string)");
        }
        return value.asString().getValue();
    }

    static BsonDocument document(BsonValue value, String field) {
        if (value == null || !value.isDocument()) {
            throw new MalformedCommand(field + ": " + type(value) + " (expected: a document)");
        }
        return value.asDocument();
    }

    static BsonArray array(BsonValue value, String field) {
        if (value == null || !value.isArray()) {
            throw new MalformedCommand(field + ": " + type(value) + " (expected: an array)");
        }
        return value.asArray();
    }

    /** Role names as commands take them: strings (of {@code db}) or {@code {role, db}}. */
    static List<RoleName> roles(BsonValue value, String field, String db) {
        List<RoleName> roles = new ArrayList<>();
        for (BsonValue role : array(value, field)) {
            try {
                roles.add(RoleName.fromBson(role, db));
            } catch (IllegalArgumentException e) {
                throw new MalformedCommand(field + ": " + e.getMessage());
            }
        }
        return roles;
    }

    static String type(BsonValue value) {
        return value == null ? "missing" : value.getBsonType().toString();
    }
}
