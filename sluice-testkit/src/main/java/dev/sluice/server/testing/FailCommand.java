package dev.sluice.server.testing;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * mongod's {@code failCommand} failpoint: the next {@code times} commands named in {@code commands} (from the
 * application {@code appName}, when set) wait {@code blockTimeMS}, then have their connection closed, or fail
 * with {@code errorCode}, or run and report {@code writeConcernError}.
 *
 * @param times          how many matching commands fail; -1: always on
 * @param errorCode      the error to return, or null
 * @param errorLabels    the labels to return, or null for those mongod adds itself
 * @param writeConcernError the writeConcernError to add to the reply of a command that ran, or null
 * @param appName        fail only commands on connections whose handshake named this application, or null
 */
public record FailCommand(List<String> commands, int times, Integer errorCode, List<String> errorLabels,
        boolean closeConnection, BsonDocument writeConcernError, long blockTimeMS, String appName) {

    public FailCommand {
        commands = List.copyOf(commands);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("failCommands: [] (expected: at least one command name)");
        }
        if (times < -1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 0, or -1 for alwaysOn)");
        }
        if (blockTimeMS < 0) {
            throw new IllegalArgumentException("blockTimeMS: " + blockTimeMS + " (expected: >= 0)");
        }
        errorLabels = errorLabels == null ? null : List.copyOf(errorLabels);
        writeConcernError = writeConcernError == null ? null : writeConcernError.clone();
    }

    /** A failpoint for these commands, once, doing nothing yet: pick what it does with the builder. */
    public static Builder on(String... commands) {
        return new Builder(List.of(commands));
    }

    /**
     * The failpoint a {@code configureFailPoint: "failCommand"} command sets, or null for {@code mode: "off"}
     * (and {@code {times: 0}}).
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static FailCommand fromCommand(BsonDocument command) {
        BsonValue mode = command.get("mode");
        int times;
        if (mode != null && mode.isString() && mode.asString().getValue().equals("off")) {
            return null;
        } else if (mode != null && mode.isString() && mode.asString().getValue().equals("alwaysOn")) {
            times = -1;
        } else if (mode != null && mode.isDocument() && mode.asDocument().isNumber("times")) {
            times = mode.asDocument().getNumber("times").intValue();
            if (times == 0) {
                return null;
            }
        } else {
            throw new IllegalArgumentException("mode: " + mode + " (expected: \"off\", \"alwaysOn\" or {times: n})");
        }
        BsonDocument data = command.getDocument("data", new BsonDocument());
        List<String> names = new ArrayList<>();
        for (BsonValue name : data.getArray("failCommands", new BsonArray())) {
            names.add(name.asString().getValue());
        }
        List<String> labels = null;
        if (data.isArray("errorLabels")) {
            labels = new ArrayList<>();
            for (BsonValue label : data.getArray("errorLabels")) {
                labels.add(label.asString().getValue());
            }
        }
        return new FailCommand(names, times, data.isNumber("errorCode") ? data.getNumber("errorCode").intValue() : null,
                labels, data.getBoolean("closeConnection", org.bson.BsonBoolean.FALSE).getValue(),
                data.isDocument("writeConcernError") ? data.getDocument("writeConcernError") : null,
                data.getBoolean("blockConnection", org.bson.BsonBoolean.FALSE).getValue()
                        ? data.getNumber("blockTimeMS", new BsonInt32(0)).longValue() : 0,
                data.isString("appName") ? data.getString("appName").getValue() : null);
    }

    /** Builds a {@link FailCommand}; by default it fires once and fails nothing. */
    public static final class Builder {
        private final List<String> commands;
        private int times = 1;
        private Integer errorCode;
        private List<String> errorLabels;
        private boolean closeConnection;
        private BsonDocument writeConcernError;
        private long blockTimeMS;
        private String appName;

        private Builder(List<String> commands) {
            this.commands = commands;
        }

        public Builder times(int times) {
            this.times = times;
            return this;
        }

        public Builder alwaysOn() {
            this.times = -1;
            return this;
        }

        public Builder errorCode(int code) {
            this.errorCode = code;
            return this;
        }

        public Builder errorLabels(String... labels) {
            this.errorLabels = List.of(labels);
            return this;
        }

        public Builder closeConnection() {
            this.closeConnection = true;
            return this;
        }

        /** The command runs, and its reply carries this writeConcernError (labels as mongod adds them). */
        public Builder writeConcernError(int code, String errmsg) {
            this.writeConcernError = new BsonDocument("code", new BsonInt32(code))
                    .append("codeName", new BsonString(MongodErrors.codeName(code)))
                    .append("errmsg", new BsonString(errmsg));
            return this;
        }

        public Builder blockTimeMS(long ms) {
            this.blockTimeMS = ms;
            return this;
        }

        public Builder appName(String appName) {
            this.appName = Objects.requireNonNull(appName, "appName");
            return this;
        }

        public FailCommand build() {
            return new FailCommand(commands, times, errorCode, errorLabels, closeConnection, writeConcernError,
                    blockTimeMS, appName);
        }
    }
}
