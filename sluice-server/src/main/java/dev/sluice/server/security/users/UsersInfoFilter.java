package dev.sluice.server.security.users;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * usersInfo's {@code filter}, restricted to what Sluice evaluates itself: equality on top-level
 * fields of the output documents ({@code {user: "alice"}}, {@code {mechanisms: "SCRAM-SHA-256"}},
 * {@code {roles: {role: "read", db: "test"}}}), with MongoDB's rule that an array field matches
 * when it equals the value or holds it. Operators and dotted paths are refused with BadValue
 * rather than answered wrongly.
 */
final class UsersInfoFilter {
    private final BsonDocument filter;

    private UsersInfoFilter(BsonDocument filter) {
        this.filter = filter;
    }

    static UsersInfoFilter parse(BsonDocument filter) {
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            String field = entry.getKey();
            if (field.startsWith("$") || field.contains(".")) {
                throw unsupported(field);
            }
            BsonValue value = entry.getValue();
            if (value.isDocument() && !value.asDocument().isEmpty()
                    && value.asDocument().getFirstKey().startsWith("$")) {
                throw unsupported(field + ": " + value.asDocument().getFirstKey());
            }
            if (value.isRegularExpression()) {
                throw unsupported(field + ": a regular expression");
            }
        }
        return new UsersInfoFilter(filter);
    }

    boolean matches(BsonDocument document) {
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            BsonValue actual = document.get(entry.getKey());
            if (!matches(actual, entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(BsonValue actual, BsonValue expected) {
        if (actual == null) {
            return expected.isNull();
        }
        if (same(actual, expected)) {
            return true;
        }
        if (actual.isArray()) {
            for (BsonValue element : actual.asArray()) {
                if (same(element, expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * BSON equality as MongoDB's matcher has it: numbers compared by value across int, long, double
     * and decimal, also inside documents (same field names in the same order) and arrays.
     */
    private static boolean same(BsonValue a, BsonValue b) {
        if (a.isDocument() && b.isDocument()) {
            BsonDocument x = a.asDocument();
            BsonDocument y = b.asDocument();
            if (x.size() != y.size()) {
                return false;
            }
            var xs = x.entrySet().iterator();
            var ys = y.entrySet().iterator();
            while (xs.hasNext()) {
                Map.Entry<String, BsonValue> p = xs.next();
                Map.Entry<String, BsonValue> q = ys.next();
                if (!p.getKey().equals(q.getKey()) || !same(p.getValue(), q.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.asArray().size() != b.asArray().size()) {
                return false;
            }
            for (int i = 0; i < a.asArray().size(); i++) {
                if (!same(a.asArray().get(i), b.asArray().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if ((a.isNumber() || a.isDecimal128()) && (b.isNumber() || b.isDecimal128())) {
            try {
                return decimal(a).compareTo(decimal(b)) == 0;
            } catch (ArithmeticException | NumberFormatException notFinite) {
                return a.equals(b);
            }
        }
        return a.equals(b);
    }

    private static BigDecimal decimal(BsonValue value) {
        if (value.isDecimal128()) {
            return value.asDecimal128().getValue().bigDecimalValue();
        }
        if (value.isDouble()) {
            return BigDecimal.valueOf(value.asDouble().getValue());
        }
        return BigDecimal.valueOf(value.asNumber().longValue());
    }

    private static CommandError unsupported(String what) {
        return CommandError.badValue("usersInfo filter: Sluice supports equality on top-level fields only "
                + "({field: value, ...}); refused " + what);
    }
}
