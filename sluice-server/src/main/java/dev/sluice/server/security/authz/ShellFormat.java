package dev.sluice.server.security.authz;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;

/**
 * Prints BSON the way mongod's {@code BSONObj::toString()} does in error messages:
 * {@code { find: "c", filter: { a: 1 }, $db: "test" }}, strings double-quoted and escaped,
 * {@code ObjectId('...')}, {@code UUID("...")}, {@code new Date(ms)}, {@code 1.0} for whole doubles.
 * Stops after {@code maxChars} characters with "...".
 */
final class ShellFormat {
    private final StringBuilder out = new StringBuilder();
    private final int maxChars;

    private ShellFormat(int maxChars) {
        this.maxChars = maxChars;
    }

    static String format(BsonDocument document, int maxChars) {
        ShellFormat format = new ShellFormat(maxChars);
        format.document(document);
        if (format.out.length() > maxChars) {
            format.out.setLength(maxChars);
            format.out.append("...");
        }
        return format.out.toString();
    }

    private boolean full() {
        return out.length() > maxChars;
    }

    private void document(BsonDocument document) {
        if (document.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{ ");
        boolean first = true;
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            if (full()) {
                return;
            }
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(entry.getKey()).append(": ");
            value(entry.getValue());
        }
        out.append(" }");
    }

    private void array(BsonArray array) {
        if (array.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append("[ ");
        for (int i = 0; i < array.size() && !full(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            value(array.get(i));
        }
        out.append(" ]");
    }

    private void value(BsonValue value) {
        switch (value.getBsonType()) {
            case DOCUMENT: document(value.asDocument()); break;
            case ARRAY: array(value.asArray()); break;
            case STRING: string(value.asString().getValue()); break;
            case INT32: out.append(value.asInt32().getValue()); break;
            case INT64: out.append(value.asInt64().getValue()); break;
            case DOUBLE: doubleValue(value.asDouble().getValue()); break;
            case DECIMAL128: out.append("NumberDecimal(\"").append(value.asDecimal128().getValue()).append("\")"); break;
            case BOOLEAN: out.append(value.asBoolean().getValue()); break;
            case NULL: out.append("null"); break;
            case UNDEFINED: out.append("undefined"); break;
            case OBJECT_ID: out.append("ObjectId('").append(value.asObjectId().getValue().toHexString()).append("')"); break;
            case DATE_TIME: out.append("new Date(").append(value.asDateTime().getValue()).append(')'); break;
            case TIMESTAMP: {
                BsonTimestamp ts = value.asTimestamp();
                out.append("Timestamp(").append(ts.getTime()).append(", ").append(ts.getInc()).append(')');
                break;
            }
            case BINARY: binary(value.asBinary()); break;
            case REGULAR_EXPRESSION: {
                BsonRegularExpression regex = value.asRegularExpression();
                out.append('/').append(regex.getPattern()).append('/').append(regex.getOptions());
                break;
            }
            case MIN_KEY: out.append("MinKey"); break;
            case MAX_KEY: out.append("MaxKey"); break;
            case JAVASCRIPT: out.append(value.asJavaScript().getCode()); break;
            case JAVASCRIPT_WITH_SCOPE: out.append(value.asJavaScriptWithScope().getCode()); break;
            case SYMBOL: string(value.asSymbol().getSymbol()); break;
            default: out.append(value.getBsonType()); break;
        }
    }

    private void doubleValue(double d) {
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d).append(".0");
        } else {
            out.append(d);
        }
    }

    private void binary(BsonBinary binary) {
        byte[] data = binary.getData();
        if (binary.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && data.length == 16) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            out.append("UUID(\"").append(new java.util.UUID(buffer.getLong(), buffer.getLong())).append("\")");
            return;
        }
        out.append("BinData(").append(binary.getType() & 0xFF).append(", ")
                .append(HexFormat.of().withUpperCase().formatHex(data)).append(')');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
