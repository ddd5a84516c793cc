package dev.sluice.server.admin;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * A command that cannot run, in mongod's error shape: {@code {ok: 0, errmsg, code, codeName}}.
 * Thrown while parsing a command, turned into the reply by {@link AdminCommands}; never escapes it.
 */
final class CommandFailure extends RuntimeException {
    static final int UNAUTHORIZED = 13;
    static final int TYPE_MISMATCH = 14;
    static final int BAD_VALUE = 2;
    static final int HOST_UNREACHABLE = 6;
    static final int MISSING_FIELD = 40414;
    static final int CURSOR_NOT_FOUND = 43;
    static final int EXCEEDED_MEMORY_LIMIT = 146;

    private final int code;
    private final String codeName;

    private CommandFailure(int code, String codeName, String errmsg) {
        super(errmsg, null, false, false);
        this.code = code;
        this.codeName = codeName;
    }

    static CommandFailure adminOnly(String command) {
        return new CommandFailure(UNAUTHORIZED, "Unauthorized",
                command + " may only be run against the admin database.");
    }

    static CommandFailure wrongType(String field, BsonValue found, String expected) {
        return new CommandFailure(TYPE_MISMATCH, "TypeMismatch",
                "BSON field '" + field + "' is the wrong type '" + typeName(found.getBsonType())
                        + "', expected type '" + expected + "'");
    }

    static CommandFailure hostUnreachable(String errmsg) {
        return new CommandFailure(HOST_UNREACHABLE, "HostUnreachable", errmsg);
    }

    static CommandFailure badValue(String errmsg) {
        return new CommandFailure(BAD_VALUE, "BadValue", errmsg);
    }

    static CommandFailure cursorNotFound(long id) {
        return new CommandFailure(CURSOR_NOT_FOUND, "CursorNotFound", "cursor id " + id + " not found");
    }

    /** A bound on what the admin commands may hold (open cursors). */
    static CommandFailure exceededMemoryLimit(String errmsg) {
        return new CommandFailure(EXCEEDED_MEMORY_LIMIT, "ExceededMemoryLimit", errmsg);
    }

    static CommandFailure missing(String field) {
        return new CommandFailure(MISSING_FIELD, "Location40414",
                "BSON field '" + field + "' is missing but a required field");
    }

    BsonDocument toReply() {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(getMessage()))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
    }

    /** mongod's alias for a BSON type, as used in its error messages and {@code $type}. */
    static String typeName(BsonType type) {
        switch (type) {
            case DOUBLE: return "double";
            case STRING: return "string";
            case DOCUMENT: return "object";
            case ARRAY: return "array";
            case BINARY: return "binData";
            case UNDEFINED: return "undefined";
            case OBJECT_ID: return "objectId";
            case BOOLEAN: return "bool";
            case DATE_TIME: return "date";
            case NULL: return "null";
            case REGULAR_EXPRESSION: return "regex";
            case JAVASCRIPT: return "javascript";
            case INT32: return "int";
            case TIMESTAMP: return "timestamp";
            case INT64: return "long";
            case DECIMAL128: return "decimal";
            case MIN_KEY: return "minKey";
            case MAX_KEY: return "maxKey";
            default: return type.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
