package dev.sluice.server.admin;

import org.bson.BsonValue;

/**
 * How a listConnections filter compares values, as MongoDB's query language does for the types a
 * row holds: numbers compare by value whatever their BSON type (1, 1L and 1.0 are equal), strings
 * by code unit, booleans false before true; a missing field equals null. Values of different kinds
 * never compare (type bracketing: {@code {opCount: {$gt: "a"}}} matches nothing).
 */
final class FilterValues {
    /** The key of null and of a missing field. */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private FilterValues() {
    }

    /**
     * A key with MongoDB's equality: two values are equal in a filter exactly when their keys are
     * {@code equals} (and hash alike, so {@code $in} can use a hash set).
     */
    static Object key(BsonValue value) {
        if (value == null || value.isNull()) {
            return NULL;
        }
        if (value.isString()) {
            return value.asString().getValue();
        }
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        if (value.isInt32() || value.isInt64()) {
            return value.asNumber().longValue();
        }
        if (value.isNumber() || value.isDecimal128()) {
            double d = value.isDecimal128() ? value.asDecimal128().doubleValue() : value.asNumber().doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
            return d;
        }
        return value; // documents, arrays, dates...: BSON equality
    }

    /**
     * The order of two values, or null when they do not compare (different kinds, or kinds without
     * an order here).
     */
    static Integer compare(BsonValue rowValue, BsonValue operand) {
        Object a = key(rowValue);
        Object b = key(operand);
        if (a == NULL || b == NULL) {
            return a == b ? 0 : null;
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Long l && y instanceof Long m) {
                return Long.compare(l, m);
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return null;
    }

    /** {@code $exists}' argument as a boolean: false, 0 and null mean false, anything else true. */
    static boolean truthy(BsonValue value) {
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        if (value.isNumber()) {
            return value.asNumber().doubleValue() != 0;
        }
        return !value.isNull();
    }
}
