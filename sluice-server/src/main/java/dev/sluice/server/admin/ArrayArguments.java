package dev.sluice.server.admin;

import org.bson.BsonArray;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the array arguments of the admin commands (killConnections' ids, dropConnections'
 * hostAndPort, killCursors' cursors) in one pass over the array's iterator: on a raw BSON array
 * {@code get(i)} re-scans from the start, which made a 40,000-id killConnections quadratic. The
 * number of elements is bounded by {@code maxAdminIds}; past it the command fails with BadValue
 * naming the setting and the count.
 */
final class ArrayArguments {
    private ArrayArguments() {
    }

    /**
     * @param field the argument's name in errors ("killConnections", "dropConnections.hostAndPort")
     * @return the strings, in order
     * @throws CommandFailure TypeMismatch when {@code value} is not an array or an element not a string
     *                        (naming its index), BadValue when it has more than {@code maxAdminIds} elements
     */
    static List<String> strings(BsonValue value, String field, int maxAdminIds) {
        BsonArray array = array(value, field);
        List<String> strings = new ArrayList<>(Math.min(16, maxAdminIds));
        int count = 0;
        for (BsonValue element : array) {
            if (count < maxAdminIds) {
                if (!element.isString()) {
                    throw CommandFailure.wrongType(field + "." + count, element, "string");
                }
                strings.add(element.asString().getValue());
            }
            count++;
        }
        checkCount(field, count, maxAdminIds);
        return strings;
    }

    /** As {@link #strings}, for integral numbers (cursor ids): int, long, or a double with no fraction. */
    static List<Long> longs(BsonValue value, String field, int maxAdminIds) {
        BsonArray array = array(value, field);
        List<Long> longs = new ArrayList<>(Math.min(16, maxAdminIds));
        int count = 0;
        for (BsonValue element : array) {
            if (count < maxAdminIds) {
                longs.add(integral(element, field + "." + count));
            }
            count++;
        }
        checkCount(field, count, maxAdminIds);
        return longs;
    }

    /** An integral number (int, long, or a double with no fraction), else TypeMismatch naming {@code field}. */
    static long integral(BsonValue value, String field) {
        if (value.isInt32() || value.isInt64()) {
            return value.asNumber().longValue();
        }
        if (value.isDouble()) {
            double d = value.asDouble().getValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
        }
        throw CommandFailure.wrongType(field, value, "long");
    }

    private static BsonArray array(BsonValue value, String field) {
        if (value == null) {
            throw CommandFailure.missing(field);
        }
        if (!value.isArray()) {
            throw CommandFailure.wrongType(field, value, "array");
        }
        return value.asArray();
    }

    private static void checkCount(String field, int count, int maxAdminIds) {
        if (count > maxAdminIds) {
            throw CommandFailure.badValue("BSON field '" + field + "' has " + count + " elements, more than "
                    + "maxAdminIds (" + maxAdminIds + "); send them in several commands or raise maxAdminIds");
        }
    }
}
