package dev.sluice.pool;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The spec runners' MATCH: {@code expected} is a subset of {@code actual}; 42 and "42" match any present value.
 */
final class JsonMatcher {

    private JsonMatcher() {
    }

    /** @return null when it matches, else where and why it does not */
    static String mismatch(JsonNode expected, JsonNode actual, String path) {
        if (isPlaceholder(expected)) {
            return actual == null || actual.isNull() || actual.isMissingNode() ? path + ": expected a value, got none" : null;
        }
        if (actual == null || actual.isMissingNode()) {
            return path + ": expected " + expected + ", got nothing";
        }
        if (expected.isNumber()) {
            return actual.isNumber() && actual.decimalValue().compareTo(expected.decimalValue()) == 0
                    ? null : path + ": expected " + expected + ", got " + actual;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected " + expected.getNodeType() + " " + expected + ", got " + actual;
        }
        if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                String m = mismatch(expected.get(i), actual.get(i), path + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String m = mismatch(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey());
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + ", got " + actual;
    }

    private static boolean isPlaceholder(JsonNode n) {
        return (n.isNumber() && n.asLong() == 42 && n.isIntegralNumber()) || (n.isTextual() && "42".equals(n.asText()));
    }
}
