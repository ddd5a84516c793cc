package dev.sluice.server.admin;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * listConnections' {@code filter}: a subset of MongoDB's query language over the flat fields of a
 * row. A field matches a value ({@code {appName: "billing"}}, a regex literal, or null for null or
 * missing) or operators: {@code $eq $ne $in $nin $exists $gt $gte $lt $lte $regex} (with
 * {@code $options} i, m, s, x). At the top level, and inside them, {@code $and} and {@code $or}
 * take a non-empty array of filters. Anything else is refused (BadValue naming it), never ignored.
 *
 * <p>Bounds: at most {@link #MAX_TERMS} terms, {@link #MAX_DEPTH} levels of $and/$or,
 * {@code maxAdminIds} values in one $in/$nin, {@link #MAX_PATTERN_LENGTH} characters per pattern,
 * and {@link #REGEX_BUDGET} characters read by all $regex matching of one command. Values compare
 * as {@link FilterValues} says. One instance per command (it holds the regex budget).
 */
final class RowFilter {
    static final int MAX_TERMS = 1_000;
    static final int MAX_DEPTH = 16;
    static final int MAX_PATTERN_LENGTH = 1_000;
    static final long REGEX_BUDGET = 50_000_000L;
    private static final String FIELD = "listConnections.filter";
    private static final String SUPPORTED = "$eq, $ne, $in, $nin, $exists, $gt, $gte, $lt, $lte, $regex "
            + "(with $options); $and, $or";

    @FunctionalInterface
    private interface Term {
        boolean test(BsonDocument row);
    }

    private static final Term ALL = row -> true;

    private final Term root;

    private RowFilter(Term root) {
        this.root = root;
    }

    /** A filter that matches every row. */
    static RowFilter all() {
        return new RowFilter(ALL);
    }

    /** Whether this filter matches every row without looking at it (no filter, or an empty one). */
    boolean matchesAll() {
        return root == ALL;
    }

    /**
     * @param filter      the command's {@code filter} value (null when absent: every row)
     * @param maxAdminIds most values in one $in/$nin
     * @throws CommandFailure TypeMismatch for a non-document filter, BadValue for anything unsupported
     */
    static RowFilter parse(BsonValue filter, int maxAdminIds) {
        if (filter == null) {
            return all();
        }
        if (!filter.isDocument()) {
            throw CommandFailure.wrongType(FIELD, filter, "object");
        }
        return new RowFilter(new Parser(maxAdminIds).document(filter.asDocument(), 0));
    }

    boolean matches(BsonDocument row) {
        return root.test(row);
    }

    private static final class Parser {
        private final int maxAdminIds;
        private final BudgetedChars budget = new BudgetedChars(REGEX_BUDGET);
        private int terms;

        Parser(int maxAdminIds) {
            this.maxAdminIds = maxAdminIds;
        }

        Term document(BsonDocument filter, int depth) {
            if (depth > MAX_DEPTH) {
                throw CommandFailure.badValue("listConnections filter nests $and/$or more than " + MAX_DEPTH
                        + " levels deep (the filter's limit)");
            }
            List<Term> all = new ArrayList<>();
            for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
                String key = e.getKey();
                count();
                if (key.equals("$and") || key.equals("$or")) {
                    List<Term> parts = clauses(key, e.getValue(), depth);
                    all.add(key.equals("$and") ? and(parts) : or(parts));
                } else if (key.startsWith("$")) {
                    throw unsupported(key);
                } else {
                    all.add(field(key, e.getValue()));
                }
            }
            return all.isEmpty() ? ALL : and(all);
        }

        private List<Term> clauses(String operator, BsonValue value, int depth) {
            if (!value.isArray() || value.asArray().isEmpty()) {
                throw CommandFailure.badValue(operator + " must be a nonempty array (listConnections filter)");
            }
            List<Term> parts = new ArrayList<>();
            for (BsonValue clause : value.asArray()) {
                if (!clause.isDocument()) {
                    throw CommandFailure.badValue(operator + " entries need to be objects (listConnections filter)");
                }
                parts.add(document(clause.asDocument(), depth + 1));
            }
            return parts;
        }

        private Term field(String name, BsonValue value) {
            if (value.isDocument() && !value.asDocument().isEmpty()
                    && value.asDocument().getFirstKey().startsWith("$")) {
                return operators(name, value.asDocument());
            }
            if (value.isRegularExpression()) {
                return regex(name, value.asRegularExpression().getPattern(), value.asRegularExpression().getOptions());
            }
            return equals(name, value);
        }

        private Term operators(String name, BsonDocument operators) {
            List<Term> all = new ArrayList<>();
            BsonValue regex = null;
            BsonValue options = null;
            for (Map.Entry<String, BsonValue> e : operators.entrySet()) {
                String op = e.getKey();
                BsonValue operand = e.getValue();
                count();
                switch (op) {
                    case "$eq" -> all.add(equals(name, operand));
                    case "$ne" -> all.add(not(equals(name, operand)));
                    case "$in" -> all.add(in(name, op, operand));
                    case "$nin" -> all.add(not(in(name, op, operand)));
                    case "$exists" -> {
                        boolean wanted = FilterValues.truthy(operand);
                        all.add(row -> row.containsKey(name) == wanted);
                    }
                    case "$gt" -> all.add(compare(name, operand, c -> c > 0));
                    case "$gte" -> all.add(compare(name, operand, c -> c >= 0));
                    case "$lt" -> all.add(compare(name, operand, c -> c < 0));
                    case "$lte" -> all.add(compare(name, operand, c -> c <= 0));
                    case "$regex" -> regex = operand;
                    case "$options" -> options = operand;
                    default -> throw unsupported(op);
                }
            }
            if (options != null && regex == null) {
                throw CommandFailure.badValue("$options needs a $regex (listConnections filter field '" + name + "')");
            }
            if (regex != null) {
                all.add(regexOperator(name, regex, options));
            }
            return and(all);
        }

        private Term regexOperator(String name, BsonValue regex, BsonValue options) {
            if (options != null && !options.isString()) {
                throw CommandFailure.badValue("$options has to be a string (listConnections filter field '"
                        + name + "')");
            }
            String flags = options == null ? "" : options.asString().getValue();
            if (regex.isString()) {
                return regex(name, regex.asString().getValue(), flags);
            }
            if (regex.isRegularExpression()) {
                BsonRegularExpression r = regex.asRegularExpression();
                return regex(name, r.getPattern(), r.getOptions() + flags);
            }
            throw CommandFailure.badValue("$regex has to be a string (listConnections filter field '" + name + "')");
        }

        private Term equals(String name, BsonValue operand) {
            Object wanted = FilterValues.key(operand);
            return row -> FilterValues.key(row.get(name)).equals(wanted);
        }

        private Term in(String name, String op, BsonValue operand) {
            if (!operand.isArray()) {
                throw CommandFailure.badValue(op + " needs an array (listConnections filter field '" + name + "')");
            }
            Set<Object> keys = new HashSet<>();
            List<Pattern> patterns = new ArrayList<>();
            int count = 0;
            for (BsonValue element : operand.asArray()) {
                if (++count > maxAdminIds) {
                    continue; // counted for the error below, not kept
                }
                if (element.isRegularExpression()) {
                    BsonRegularExpression r = element.asRegularExpression();
                    patterns.add(compile(r.getPattern(), r.getOptions()));
                    count();
                } else {
                    keys.add(FilterValues.key(element));
                }
            }
            if (count > maxAdminIds) {
                throw CommandFailure.badValue(op + " in listConnections filter field '" + name + "' has " + count
                        + " values, more than maxAdminIds (" + maxAdminIds + ")");
            }
            return row -> {
                BsonValue value = row.get(name);
                if (keys.contains(FilterValues.key(value))) {
                    return true;
                }
                for (Pattern p : patterns) {
                    if (value != null && value.isString() && p.matcher(budget.wrap(value.asString().getValue())).find()) {
                        return true;
                    }
                }
                return false;
            };
        }

        private Term compare(String name, BsonValue operand, java.util.function.IntPredicate wanted) {
            return row -> {
                Integer c = FilterValues.compare(row.get(name), operand);
                return c != null && wanted.test(c);
            };
        }

        private Term regex(String name, String pattern, String options) {
            Pattern p = compile(pattern, options);
            return row -> {
                BsonValue value = row.get(name);
                return value != null && value.isString() && p.matcher(budget.wrap(value.asString().getValue())).find();
            };
        }

        private static Pattern compile(String pattern, String options) {
            if (pattern.length() > MAX_PATTERN_LENGTH) {
                throw CommandFailure.badValue("$regex pattern is " + pattern.length() + " characters long, more than "
                        + MAX_PATTERN_LENGTH + " (the listConnections filter's limit)");
            }
            int flags = 0;
            for (int i = 0; i < options.length(); i++) {
                char c = options.charAt(i);
                switch (c) {
                    case 'i' -> flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    case 'm' -> flags |= Pattern.MULTILINE;
                    case 's' -> flags |= Pattern.DOTALL;
                    case 'x' -> flags |= Pattern.COMMENTS;
                    case 'u' -> { } // mongod accepts and ignores it
                    default -> throw CommandFailure.badValue("invalid flag in $regex options: " + c
                            + " (listConnections filter supports i, m, s, x)");
                }
            }
            try {
                return Pattern.compile(pattern, flags);
            } catch (PatternSyntaxException e) {
                throw CommandFailure.badValue("invalid $regex pattern in listConnections filter: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }

        private void count() {
            if (++terms > MAX_TERMS) {
                throw CommandFailure.badValue("listConnections filter has more than " + MAX_TERMS
                        + " terms (the filter's limit)");
            }
        }

        private static CommandFailure unsupported(String operator) {
            return CommandFailure.badValue("unsupported operator in listConnections filter: " + operator
                    + " (supported: " + SUPPORTED + ")");
        }

        private static Term not(Term term) {
            return row -> !term.test(row);
        }

        private static Term and(List<Term> terms) {
            if (terms.size() == 1) {
                return terms.get(0);
            }
            Term[] all = terms.toArray(new Term[0]);
            return row -> {
                for (Term t : all) {
                    if (!t.test(row)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private static Term or(List<Term> terms) {
            Term[] any = terms.toArray(new Term[0]);
            return row -> {
                for (Term t : any) {
                    if (t.test(row)) {
                        return true;
                    }
                }
                return false;
            };
        }
    }
}
