package dev.sluice.server.admin;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowFilterTest {
    private static final List<BsonDocument> ROWS = List.of(
            row("mongodb-1", "mongodb", "Running", "billing", null, 5, "db1:27017"),
            row("mongodb-2", "mongodb", "Idle", "reports", "alice", 0, null),
            row("http-3", "http", "Idle", null, null, 12, null),
            row("mongodb-4", "mongodb", "Closing", "Billing-Batch", "bob", 7, null));

    private static BsonDocument row(String id, String connector, String status, String appName, String username,
                                    long opCount, String pinnedHost) {
        return new BsonDocument()
                .append("connectionId", new BsonString(id))
                .append("connector", new BsonString(connector))
                .append("status", new BsonString(status))
                .append("appName", BsonViews.string(appName))
                .append("username", BsonViews.string(username))
                .append("opCount", new org.bson.BsonInt64(opCount))
                .append("pinnedHost", BsonViews.string(pinnedHost));
    }

    private static List<String> matching(String filter) {
        RowFilter f = RowFilter.parse(BsonDocument.parse(filter), 100);
        return ROWS.stream().filter(f::matches).map(r -> r.getString("connectionId").getValue())
                .collect(Collectors.toList());
    }

    private static CommandFailure failure(String filter) {
        try {
            RowFilter.parse(BsonDocument.parse(filter), 100);
        } catch (CommandFailure f) {
            return f;
        }
        throw new AssertionError("accepted: " + filter);
    }

    @Test
    void noFilterOrAnEmptyOneMatchesEveryRow() {
        assertThat(RowFilter.parse(null, 100).matchesAll()).isTrue();
        assertThat(matching("{}")).hasSize(4);
    }

    @Test
    void equalityOnAFieldAndOnSeveralFields() {
        assertThat(matching("{appName: 'billing'}")).containsExactly("mongodb-1");
        assertThat(matching("{connector: 'mongodb', status: 'Idle'}")).containsExactly("mongodb-2");
        assertThat(matching("{opCount: 5}")).containsExactly("mongodb-1");
        assertThat(matching("{opCount: 5.0}")).containsExactly("mongodb-1");
        assertThat(matching("{opCount: {$numberLong: '12'}}")).containsExactly("http-3");
        assertThat(matching("{opCount: '5'}")).isEmpty();
    }

    @Test
    void nullMatchesNullAndMissingFields() {
        assertThat(matching("{username: null}")).containsExactly("mongodb-1", "http-3");
        assertThat(matching("{noSuchField: null}")).hasSize(4);
        assertThat(matching("{noSuchField: 'x'}")).isEmpty();
        assertThat(matching("{username: {$ne: null}}")).containsExactly("mongodb-2", "mongodb-4");
    }

    @Test
    void eqNeInNin() {
        assertThat(matching("{status: {$eq: 'Idle'}}")).containsExactly("mongodb-2", "http-3");
        assertThat(matching("{status: {$ne: 'Idle'}}")).containsExactly("mongodb-1", "mongodb-4");
        assertThat(matching("{connector: 'mongodb', status: {$in: ['Running', 'Closing']}}"))
                .containsExactly("mongodb-1", "mongodb-4");
        assertThat(matching("{status: {$nin: ['Running', 'Closing']}}")).containsExactly("mongodb-2", "http-3");
        assertThat(matching("{appName: {$in: [null, /^rep/]}}")).containsExactly("mongodb-2", "http-3");
        assertThat(matching("{opCount: {$in: [0, 7.0]}}")).containsExactly("mongodb-2", "mongodb-4");
    }

    @Test
    void rangeOperatorsCompareNumbersByValueAndStringsAsStrings() {
        assertThat(matching("{opCount: {$gt: 5}}")).containsExactly("http-3", "mongodb-4");
        assertThat(matching("{opCount: {$gte: 5, $lt: 12}}")).containsExactly("mongodb-1", "mongodb-4");
        assertThat(matching("{opCount: {$lte: 0.5}}")).containsExactly("mongodb-2");
        assertThat(matching("{connectionId: {$gte: 'mongodb-2'}}")).containsExactly("mongodb-2", "mongodb-4");
        assertThat(matching("{opCount: {$gt: 'a'}}")).isEmpty();
        assertThat(matching("{appName: {$gt: 1}}")).isEmpty();
    }

    @Test
    void existsFollowsMongodbNullCountsAsPresent() {
        assertThat(matching("{username: {$exists: true}}")).hasSize(4);
        assertThat(matching("{noSuchField: {$exists: false}}")).hasSize(4);
        assertThat(matching("{noSuchField: {$exists: 1}}")).isEmpty();
    }

    @Test
    void regexAsOperatorWithOptionsAndAsLiteral() {
        assertThat(matching("{appName: {$regex: '^billing'}}")).containsExactly("mongodb-1");
        assertThat(matching("{appName: {$regex: '^billing', $options: 'i'}}")).containsExactly("mongodb-1", "mongodb-4");
        assertThat(matching("{appName: /batch$/i}")).containsExactly("mongodb-4");
        assertThat(matching("{opCount: {$regex: '5'}}")).isEmpty();
    }

    @Test
    void andOrAtTheTopLevelAndNested() {
        assertThat(matching("{$or: [{appName: 'billing'}, {username: 'alice'}]}"))
                .containsExactly("mongodb-1", "mongodb-2");
        assertThat(matching("{$and: [{connector: 'mongodb'}, {$or: [{status: 'Closing'}, {opCount: 0}]}]}"))
                .containsExactly("mongodb-2", "mongodb-4");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{$where: 'true'}|$where", "{$nor: [{a: 1}]}|$nor", "{$expr: {}}|$expr",
            "{appName: {$not: {$eq: 1}}}|$not", "{opCount: {$mod: [2, 0]}}|$mod", "{appName: {$elemMatch: {}}}|$elemMatch",
            "{opCount: {$gt: 1, $size: 2}}|$size", "{$or: [{$text: {$search: 'x'}}]}|$text"})
    void anUnsupportedOperatorIsRefusedWithBadValueNamingIt(String filter, String operator) {
        CommandFailure f = failure(filter);
        assertThat(f.toReply().getInt32("code").getValue()).isEqualTo(2);
        assertThat(f.toReply().getString("codeName").getValue()).isEqualTo("BadValue");
        assertThat(f.getMessage()).startsWith("unsupported operator in listConnections filter: " + operator + " ");
    }

    @Test
    void aNonDocumentFilterIsTypeMismatch() {
        assertThatThrownBy(() -> RowFilter.parse(new BsonString("appName"), 100))
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.toReply().getInt32("code").getValue()).isEqualTo(14);
                    assertThat(f.getMessage()).isEqualTo(
                            "BSON field 'listConnections.filter' is the wrong type 'string', expected type 'object'");
                });
    }

    @Test
    void malformedOperatorsAreBadValue() {
        assertThat(failure("{status: {$in: 'Idle'}}").getMessage()).startsWith("$in needs an array");
        assertThat(failure("{$or: []}").getMessage()).startsWith("$or must be a nonempty array");
        assertThat(failure("{$and: [1]}").getMessage()).startsWith("$and entries need to be objects");
        assertThat(failure("{appName: {$options: 'i'}}").getMessage()).startsWith("$options needs a $regex");
        assertThat(failure("{appName: {$regex: 'a', $options: 'q'}}").getMessage())
                .startsWith("invalid flag in $regex options: q");
        assertThat(failure("{appName: {$regex: '(unclosed'}}").getMessage())
                .startsWith("invalid $regex pattern in listConnections filter");
        assertThat(failure("{appName: {$regex: 5}}").getMessage()).startsWith("$regex has to be a string");
    }

    @Test
    void boundsOnPatternLengthListLengthTermsAndDepthNameTheLimit() {
        String longPattern = "a".repeat(RowFilter.MAX_PATTERN_LENGTH + 1);
        assertThat(failure("{appName: {$regex: '" + longPattern + "'}}").getMessage())
                .isEqualTo("$regex pattern is 1001 characters long, more than 1000 (the listConnections filter's limit)");

        StringBuilder in = new StringBuilder("{status: {$in: [");
        for (int i = 0; i < 101; i++) {
            in.append(i == 0 ? "" : ",").append(i);
        }
        assertThat(failure(in.append("]}}").toString()).getMessage())
                .isEqualTo("$in in listConnections filter field 'status' has 101 values, more than maxAdminIds (100)");

        StringBuilder or = new StringBuilder("{$or: [");
        for (int i = 0; i <= RowFilter.MAX_TERMS; i++) {
            or.append(i == 0 ? "" : ",").append("{opCount: ").append(i).append('}');
        }
        assertThat(failure(or.append("]}").toString()).getMessage())
                .isEqualTo("listConnections filter has more than 1000 terms (the filter's limit)");

        String deep = "{opCount: 1}";
        for (int i = 0; i <= RowFilter.MAX_DEPTH; i++) {
            deep = "{$and: [" + deep + "]}";
        }
        assertThat(failure(deep).getMessage()).contains("more than 16 levels deep");
    }

    @Test
    void aCatastrophicRegexRunsOutOfItsBudgetInsteadOfHoldingTheThread() {
        BsonDocument evil = new BsonDocument("appName", new BsonString("a".repeat(40) + "!"));
        RowFilter filter = RowFilter.parse(BsonDocument.parse("{appName: {$regex: '(.*a){20}$'}}"), 100);
        assertThatThrownBy(() -> filter.matches(evil))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo("$regex in the listConnections filter read more than 50000000 characters "
                                + "(the filter's regex budget); use a simpler pattern"));
    }
}
