package dev.sluice.server.testing;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A member's {@code onPrimaryTransactionalWrite} failpoint (mongod's name), closeConnection form only: the next
 * n retryable writes are applied by the shared store, and their client connection closes before the reply.
 */
final class LostWriteReplies {
    static final String FAIL_POINT = "onPrimaryTransactionalWrite";

    /** Writes left to lose: -1 every one, 0 none. */
    private final AtomicInteger remaining = new AtomicInteger();

    void set(int times) {
        if (times < -1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 0, or -1 for alwaysOn)");
        }
        remaining.set(times);
    }

    /** Whether this write's reply is lost, counting the failpoint down. */
    boolean take() {
        while (true) {
            int left = remaining.get();
            if (left == 0) {
                return false;
            }
            if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    /**
     * The times a {@code configureFailPoint: "onPrimaryTransactionalWrite"} command asks for: {@code mode} "off" (0),
     * "alwaysOn" (-1) or {@code {times: n}}; {@code data.closeConnection} must be true (the default), the only form
     * the simulator has.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static int timesFromCommand(BsonDocument command) {
        BsonValue mode = command.get("mode");
        int times;
        if (mode != null && mode.isString() && mode.asString().getValue().equals("off")) {
            return 0;
        } else if (mode != null && mode.isString() && mode.asString().getValue().equals("alwaysOn")) {
            times = -1;
        } else if (mode != null && mode.isDocument() && mode.asDocument().isNumber("times")) {
            times = mode.asDocument().getNumber("times").intValue();
            if (times < 0) {
                throw new IllegalArgumentException("mode.times: " + times + " (expected: >= 0)");
            }
        } else {
            throw new IllegalArgumentException("mode: " + mode + " (expected: \"off\", \"alwaysOn\" or {times: n})");
        }
        BsonDocument data = command.getDocument("data", new BsonDocument());
        if (!data.getBoolean("closeConnection", BsonBoolean.TRUE).getValue()) {
            throw new IllegalArgumentException("data.closeConnection: false (expected: true, the only form the "
                    + "simulated replica set has)");
        }
        return times;
    }
}
