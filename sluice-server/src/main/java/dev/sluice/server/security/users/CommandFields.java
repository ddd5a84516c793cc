package dev.sluice.server.security.users;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

import java.util.Locale;
import java.util.Set;

/**
 * A management command's fields read as mongod's IDL parser reads them: unknown fields refused
 * (40415), required ones missing (40414), wrong types (14 TypeMismatch), with mongod's messages
 * ({@code BSON field 'createUser.pwd' is the wrong type 'int', expected type 'string'}).
 */
final class CommandFields {
    /** Fields every command may carry (driver, session, transaction and API fields). */
    private static final Set<String> GENERIC = Set.of("lsid", "txnNumber", "autocommit", "startTransaction",
            "readConcern", "writeConcern", "comment", "maxTimeMS", "apiVersion", "apiStrict", "apiDeprecationErrors",
            "mayBypassWriteBlocking", "maxTimeMSOpOnly", "clientOperationKey", "readPreference");

    private final String command;
    private final BsonDocument document;

    /** @param allowed the command's own fields besides its name */
    CommandFields(String command, BsonDocument document, Set<String> allowed) {
        this.command = command;
        this.document = document;
        for (String field : document.keySet()) {
            if (!field.equals(command) && !allowed.contains(field) && !GENERIC.contains(field)
                    && !field.startsWith("$")) {
                throw CommandError.location(CommandError.UNKNOWN_FIELD,
                        "BSON field '" + command + "." + field + "' is an unknown field.");
            }
        }
    }

    boolean has(String field) {
        return document.containsKey(field);
    }

    BsonValue get(String field) {
        return document.get(field);
    }

    /** The command's own value (its first field), which must be a string. */
    String name() {
        return requiredString(command);
    }

    String requiredString(String field) {
        BsonValue value = required(field);
        if (!value.isString()) {
            throw wrongType(field, value, "string");
        }
        return value.asString().getValue();
    }

    /** A string, or null when absent. */
    String optionalString(String field) {
        BsonValue value = document.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(field, value, "string");
        }
        return value.asString().getValue();
    }

    BsonArray requiredArray(String field) {
        BsonValue value = required(field);
        if (!value.isArray()) {
            throw wrongType(field, value, "array");
        }
        return value.asArray();
    }

    /** An array, or null when absent. */
    BsonArray optionalArray(String field) {
        return document.containsKey(field) ? requiredArray(field) : null;
    }

    /** A document, or null when absent. */
    BsonDocument optionalDocument(String field) {
        BsonValue value = document.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isDocument()) {
            throw wrongType(field, value, "object");
        }
        return value.asDocument();
    }

    /** A boolean flag (mongod's safeBool: a bool or a number), {@code defaultValue} when absent. */
    boolean flag(String field, boolean defaultValue) {
        BsonValue value = document.get(field);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        if (value.isNumber()) {
            return value.asNumber().doubleValue() != 0;
        }
        throw wrongType(field, value, "bool");
    }

    CommandError wrongType(String field, BsonValue value, String expected) {
        return new CommandError(CommandError.TYPE_MISMATCH, "TypeMismatch", "BSON field '" + command + "." + field
                + "' is the wrong type '" + typeName(value.getBsonType()) + "', expected type '" + expected + "'");
    }

    private BsonValue required(String field) {
        BsonValue value = document.get(field);
        if (value == null) {
            throw CommandError.location(CommandError.MISSING_FIELD,
                    "BSON field '" + command + "." + field + "' is missing but a required field");
        }
        return value;
    }

    /** mongod's alias for a BSON type, as in its error messages. */
    static String typeName(BsonType type) {
        switch (type) {
            case DOUBLE: return "double";
            case STRING: return "string";
            case DOCUMENT: return "object";
            case ARRAY: return "array";
            case BINARY: return "binData";
            case OBJECT_ID: return "objectId";
            case BOOLEAN: return "bool";
            case DATE_TIME: return "date";
            case NULL: return "null";
            case REGULAR_EXPRESSION: return "regex";
            case INT32: return "int";
            case TIMESTAMP: return "timestamp";
            case INT64: return "long";
            case DECIMAL128: return "decimal";
            case MIN_KEY: return "minKey";
            case MAX_KEY: return "maxKey";
            default: return type.name().toLowerCase(Locale.ROOT);
        }
    }
}
